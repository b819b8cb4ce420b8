// shim-db.cc (not written yet)
#include "shim.h"
