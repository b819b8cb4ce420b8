// shim-errors.cc (not written yet)
#include "shim.h"
