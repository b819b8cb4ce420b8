/* eval.h - internal evaluation interfaces (not written yet). */
