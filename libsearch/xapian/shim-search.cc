// shim-search.cc (not written yet)
#include "shim.h"
