#include "libsearch.h"
int main(void) { return 0; }
