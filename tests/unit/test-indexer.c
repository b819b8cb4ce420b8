/* test-indexer.c - bulk indexing with threads (lsx_indexer). */
#include "private.h"
#include "tap.h"

int main(void)
{
    lsx_indexer *ix = NULL;
    lsx_indexer_options o = LSX_INDEXER_OPTIONS_INIT;
    o.threads = 1;
    o.memory_mb = 1;
    is_int(lsx_indexer_new(&ix, NULL, &o), LSX_EINVAL, "too little memory is refused");
    lsx_indexer_free(ix);
    done_testing();
}
