"""Pure-Python mirror of fastcore's compiled core (fastcore/_*.pyx), selected by fastcore._core."""
