/* reader.h - internal reader interfaces (not written yet). */
