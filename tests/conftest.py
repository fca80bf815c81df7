import matplotlib

# tests never need a display
matplotlib.use("Agg")
