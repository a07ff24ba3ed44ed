"""Charts drawn as inline SVG: each module takes data and returns geometry the
template draws, so pages need no JavaScript chart library and print cleanly."""
