// The words of the reminder mails and of the unsubscribe page, in the six
// languages of the interface (fr, en, de, it, es, pl), chosen by the
// subscriber's `lang`; an unknown language gets French. Templates hold
// {title}, {when}, {confirm_url}, {event_url}, {ics_url} and
// {unsubscribe_url}, replaced by fill(). Pure; any thread.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace palabre::mail {

struct Texts {
  std::string_view lang;
  std::string_view confirm_subject;
  std::string_view confirm_body;
  std::string_view reminder_subject;
  std::string_view reminder_body;
  // The human page behind the unsubscribe link (api/reminders.cpp).
  std::string_view unsubscribe_title;
  std::string_view unsubscribe_question;
  std::string_view unsubscribe_button;
  std::string_view unsubscribe_done;
};

const Texts& texts_for(std::string_view lang);
bool has_texts(std::string_view lang);

// `text` with each {name} of `values` replaced.
std::string fill(std::string_view text, std::initializer_list<std::pair<std::string_view, std::string_view>> values);

// The debate's start as the mails write it, in the mail's language and the
// worker's local time with its offset, like the server-written pages
// (api/page_text.hpp): "lundi 7 décembre 2026 à 19:00 (UTC+1)". An unknown
// language gets French.
// On the clock of `zone` (IANA; empty: the process's TZ).
std::string when_text(int64_t unix_ms, std::string_view lang, std::string_view zone = {});

}  // namespace palabre::mail
