// The setting is an inline function in include/allocator.h; a C target needs one source file.
#include "allocator.h"
