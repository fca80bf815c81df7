"""``glassnet export``: a saved model as an ONNX file."""

from __future__ import annotations

import sys

from . import CliError, wrote
from ._outputs import Output, check_outputs


def run(args) -> int:
    check_outputs([Output("-o", args.output, "onnx")], [("MODEL", args.model)], args.force)
    from ..persistence import load

    model = load(args.model)
    try:
        from ..export import to_onnx
    except ImportError as error:
        raise CliError(str(error), hint='pip install "glassnet[onnx]"') from None
    proto = to_onnx(model, args.output)
    wrote(args.output)
    inputs = ", ".join(value.name for value in proto.graph.input)
    outputs = ", ".join(value.name for value in proto.graph.output)
    if not args.quiet:
        print(f"ONNX model written to {args.output}; inputs: {inputs}; outputs: {outputs}", file=sys.stderr)
    return 0
