/* common.c */
typedef int lsx__cli_placeholder;
