// shim-query.cc (not written yet)
#include "shim.h"
