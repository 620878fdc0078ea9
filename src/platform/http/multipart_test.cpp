#include "platform/http/multipart.hpp"

#include <gtest/gtest.h>

namespace kam::http {
namespace {

const std::string kType = "multipart/form-data; boundary=----kam123";

TEST(Multipart, SplitsFieldsAndFiles) {
  const std::string body =
      "------kam123\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\naccounts\r\n"
      "------kam123\r\nContent-Disposition: form-data; name=\"file\"; filename=\"客户.csv\"\r\n"
      "Content-Type: text/csv\r\n\r\n名称\r\n甲\r\n\r\n"
      "------kam123--\r\n";
  auto form = parse_multipart(kType, body);
  ASSERT_TRUE(form.ok()) << form.error().detail();
  EXPECT_EQ(form->at("kind").body, "accounts");
  EXPECT_EQ(form->at("file").filename, "客户.csv");
  EXPECT_EQ(form->at("file").content_type, "text/csv");
  EXPECT_EQ(form->at("file").body, "名称\r\n甲\r\n");
}

TEST(Multipart, KeepsBinaryBytes) {
  const std::string data("PK\x03\x04\0\r\n-\xff", 10);
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n\r\n" + data + "\r\n--b--";
  auto form = parse_multipart("multipart/form-data; boundary=\"b\"", body);
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->at("file").body, data);
}

TEST(Multipart, RejectsOtherContentTypesWith415) {
  auto form = parse_multipart("application/json", "{}");
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code(), Error::Code::unsupported_media);
  EXPECT_EQ(parse_multipart("multipart/form-data", "x").error().code(), Error::Code::unsupported_media);
}

TEST(Multipart, RejectsMalformedBodiesWith400) {
  EXPECT_EQ(parse_multipart(kType, "nothing").error().code(), Error::Code::bad_request);
  EXPECT_EQ(
      parse_multipart(kType, "------kam123\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end").error().code(),
      Error::Code::bad_request);
}

TEST(Multipart, RejectsAnOversizedPartWith413) {
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n" + std::string(100, 'x') + "\r\n--b--";
  auto form = parse_multipart("multipart/form-data; boundary=b", body, 50);
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code(), Error::Code::payload_too_large);
}

}  // namespace
}  // namespace kam::http
