// shim-private.hh (not written yet)
