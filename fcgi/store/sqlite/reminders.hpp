// The reminders table on SQLite (sql/0008_reminders.sql), behind the
// Store's reminder methods (store/store.hpp says what each does). Free
// functions on the caller's Connection: same thread and error rules as
// connection.hpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace palabre::store::sqlite {

bool subscribe_reminder(Connection& db, const Reminder& reminder, int64_t resend_before_ms);
std::optional<Reminder> find_reminder(Connection& db, const std::string& token_hash);
bool confirm_reminder(Connection& db, const std::string& confirm_hash, int64_t now_ms);
bool delete_reminder_by_token(Connection& db, const std::string& token_hash);
std::vector<DueReminderMail> due_reminder_mails(Connection& db, int64_t now_ms, int64_t lead_ms, int limit);
bool claim_reminder_mail(Connection& db, int64_t id, ReminderMail kind, int64_t now_ms, int64_t lead_ms,
                         int64_t claim_until_ms, const std::string& confirm_hash,
                         const std::string& unsubscribe_hash);
void confirmation_sent(Connection& db, int64_t id, int64_t now_ms);
void reminder_mail_failed(Connection& db, int64_t id, int64_t next_attempt_ms);
void delete_reminder(Connection& db, int64_t id);
int purge_reminders(Connection& db, int64_t now_ms, int64_t unconfirmed_before_ms);

}  // namespace palabre::store::sqlite
