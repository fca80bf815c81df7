// A frame from the server, decoded: one binary WebSocket message
//   uint32 n (little endian) | n bytes of JSON header | float32 payload
// The payload holds every hidden and output unit over the grid (layer by
// layer, G×G values per unit), the output units over the boundary's B×B
// grid, then each layer's weights (n_in×n_out, row major) and biases.
// `data` is the description the frame belongs to (its layers and grid sizes).

export function decodeFrame(buffer, data) {
  const length = new DataView(buffer).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, length)));
  if (header.version !== data.version) return null; // a frame of the network before the last change
  const floats = new Float32Array(buffer, 4 + length, header.floats);
  const n = data.grid_size * data.grid_size;
  const sizes = data.layers;
  let offset = 0;
  const take = (count) => floats.subarray(offset, (offset += count));
  const frame = { header, layers: [], weights: [], biases: [] };
  for (let l = 1; l < sizes.length; l++) frame.layers.push(take(sizes[l] * n));
  frame.boundary = take(sizes[sizes.length - 1] * data.boundary_size * data.boundary_size);
  for (let l = 0; l < sizes.length - 1; l++) frame.weights.push(take(sizes[l] * sizes[l + 1]));
  for (let l = 1; l < sizes.length; l++) frame.biases.push(take(sizes[l]));
  return frame;
}
