// Password hashing (argon2id via libsodium) and session tokens (256-bit
// random, base64url). Only a BLAKE2b hash of a token is stored.
#pragma once

#include <string>
#include <string_view>

namespace kam::auth {

void crypto_init();  // sodium_init; call once at start
std::string hash_password(std::string_view password);
bool verify_password(std::string_view hash, std::string_view password);
std::string random_token();                      // 32 random bytes, base64url, no padding
std::string token_hash(std::string_view token);  // hex BLAKE2b-256
std::string random_password();                   // 20 characters, for the first admin

}  // namespace kam::auth
