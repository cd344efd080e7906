// SHA-256 through libcrypto's low-level calls: their context is a struct on this function's
// stack, and their block function uses the CPU's SHA instructions when it has them. OpenSSL 3
// deprecates these calls in favour of EVP contexts, which are allocated on the heap for each
// digest; the low-level calls stay in its API, so the warning is suppressed here only.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include "sha256.h"

void annals_sha256(const void *first, size_t first_count, const void *second, size_t second_count, void *digest) {
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, first, first_count);
    SHA256_Update(&context, second, second_count);
    SHA256_Final(digest, &context);
}
