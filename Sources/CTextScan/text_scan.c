// The scanners are inline functions in include/text_scan.h, so that Swift inlines them; a C
// target needs one source file.
#include "text_scan.h"
