// Reading entries out of an XRANGE reply (RESP2: an array of [id, [field,
// value, ...]]). Pure; any thread; never throws. The views point into the
// reply, which hiredis frees when the callback returns.
#pragma once

#include <hiredis/hiredis.h>

#include <optional>

#include <string_view>

#include "core/stream_id.hpp"

namespace palabre::redis {

// One stream entry, pointing into the reply it was read from.
struct EntryView {
  StreamId id;
  std::string_view id_text;
  std::string_view type;  // field t
  std::string_view data;  // field d
};


// One element of the reply's array: the id and the fields t (type) and d
// (data). nullopt for an element that is not an entry or whose id does not
// parse; a missing t or d leaves that view empty.
std::optional<EntryView> xrange_entry(const redisReply* element);

}  // namespace palabre::redis
