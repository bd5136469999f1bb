// What a staff password must be: 12 to 128 code points of UTF-8 (any
// script: "Très-long mot de passe" and "日本語のパスワードです" are fine), and
// not one of the common passwords shipped in fcgi/auth/common_passwords.txt
// (embedded in the binaries), compared without regard to ASCII case.
//
// Applied wherever a password is set (palabre-admin create-admin and
// set-password). Pure apart from reading the embedded list once. Any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace palabre::auth {

inline constexpr size_t kMinPasswordChars = 12;
inline constexpr size_t kMaxPasswordChars = 128;

// Why `password` is refused, as a sentence for the person choosing it, or
// nullopt when it is acceptable.
std::optional<std::string> password_problem(std::string_view password);
// Throws Error(weak_password) with password_problem()'s sentence.
void check_password_policy(std::string_view password);
// Whether the list holds `password` (ASCII letters compared in lower case).
bool is_common_password(std::string_view password);

}  // namespace palabre::auth
