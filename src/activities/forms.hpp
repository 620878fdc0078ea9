// The printable forms of the activities module as XLSX files laid out like
// the paper forms of the key-account handbook: 客户拜访计划表 (a week per
// person), 客户拜访记录表 (one visit), 客户联络表 (a week per person) and
// 客户关系强化表 (one account).
#pragma once

#include <cstdint>
#include <string>

#include "auth/principal.hpp"
#include "platform/core/error.hpp"
#include "platform/db/database.hpp"

namespace kam::activities {

struct FormFile {
  std::string filename;  // UTF-8
  std::string bytes;     // XLSX, or a printable HTML page
  std::string content_type;
};

enum class FormFormat { xlsx, html };

// A person's week: the user must be in the caller's scope (not_found otherwise).
Expected<FormFile> visit_plan_form(db::Connection& c, const auth::Principal& p, std::int64_t user_id,
                                   const std::string& week, FormFormat format = FormFormat::xlsx);
Expected<FormFile> contact_log_form(db::Connection& c, const auth::Principal& p, std::int64_t user_id,
                                    const std::string& week, FormFormat format = FormFormat::xlsx);
// One visit / one account: not_found outside the account's scope.
Expected<FormFile> visit_record_form(db::Connection& c, const auth::Principal& p, std::int64_t visit_id,
                                     FormFormat format = FormFormat::xlsx);
Expected<FormFile> relationship_form(db::Connection& c, const auth::Principal& p, std::int64_t account_id,
                                     FormFormat format = FormFormat::xlsx);

}  // namespace kam::activities
