// Reading entries out of an XRANGE reply (RESP2: an array of [id, [field,
// value, ...]]). Pure; any thread; never throws. The views point into the
// reply, which hiredis frees when the callback returns.
#pragma once

#include <hiredis/hiredis.h>

#include <optional>

#include "hub/mirror.hpp"

namespace palabre::hub {

// One element of the reply's array: the id and the fields t (type) and d
// (data). nullopt for an element that is not an entry or whose id does not
// parse; a missing t or d leaves that view empty.
std::optional<RawEntry> xrange_entry(const redisReply* element);

}  // namespace palabre::hub
