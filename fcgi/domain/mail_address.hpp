// Whether a visitor's e-mail address is one the reminders can send to
// (api/reminders.cpp): the common dot-atom form local@domain.tld, ASCII
// only (no SMTPUTF8 on the way), at most 254 octets, labels of letters,
// digits and hyphens. Quoted local parts and address literals are refused:
// nobody types them into a form, and they complicate every header written.
// Pure; any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace palabre::domain {

// The address as stored (the domain lower-cased; the local part as typed,
// which servers may treat case-sensitively), or nullopt when not valid.
std::optional<std::string> normalized_mail_address(std::string_view address);

}  // namespace palabre::domain
