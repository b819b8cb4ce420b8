/* eval-files.c - not written yet. */
#include "private.h"
typedef int lsx__placeholder_eval_files;
