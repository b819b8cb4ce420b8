/* reader.c - not written yet. */
#include "private.h"
typedef int lsx__placeholder_reader;
