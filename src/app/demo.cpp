#include "app/demo.hpp"

#include <stdexcept>

#include "accounts/accounts.hpp"
#include "activities/demo.hpp"
#include "approvals/approvals.hpp"
#include "auth/crypto.hpp"
#include "pipeline/demo.hpp"
#include "platform/core/clock.hpp"

namespace kam::app {

const std::vector<Place>& sample_places() {
  static const std::vector<Place> places = {
      {"北京市", "北京市"},           {"上海市", "上海市"},
      {"天津市", "天津市"},           {"重庆市", "重庆市"},
      {"广东省", "广州市"},           {"广东省", "深圳市"},
      {"广东省", "东莞市"},           {"广东省", "佛山市"},
      {"江苏省", "南京市"},           {"江苏省", "苏州市"},
      {"江苏省", "无锡市"},           {"江苏省", "常州市"},
      {"浙江省", "杭州市"},           {"浙江省", "宁波市"},
      {"浙江省", "温州市"},           {"浙江省", "嘉兴市"},
      {"山东省", "济南市"},           {"山东省", "青岛市"},
      {"山东省", "烟台市"},           {"福建省", "福州市"},
      {"福建省", "厦门市"},           {"福建省", "泉州市"},
      {"河北省", "石家庄市"},         {"河北省", "唐山市"},
      {"河南省", "郑州市"},           {"河南省", "洛阳市"},
      {"湖北省", "武汉市"},           {"湖北省", "宜昌市"},
      {"湖南省", "长沙市"},           {"湖南省", "株洲市"},
      {"四川省", "成都市"},           {"四川省", "绵阳市"},
      {"陕西省", "西安市"},           {"辽宁省", "沈阳市"},
      {"辽宁省", "大连市"},           {"吉林省", "长春市"},
      {"黑龙江省", "哈尔滨市"},       {"安徽省", "合肥市"},
      {"安徽省", "芜湖市"},           {"江西省", "南昌市"},
      {"山西省", "太原市"},           {"云南省", "昆明市"},
      {"贵州省", "贵阳市"},           {"广西壮族自治区", "南宁市"},
      {"广西壮族自治区", "柳州市"},   {"海南省", "海口市"},
      {"甘肃省", "兰州市"},           {"青海省", "西宁市"},
      {"宁夏回族自治区", "银川市"},   {"新疆维吾尔自治区", "乌鲁木齐市"},
      {"内蒙古自治区", "呼和浩特市"}, {"西藏自治区", "拉萨市"},
  };
  return places;
}

namespace {
const char* const kBrandSyllables[] = {
    "华", "鼎", "瑞", "通", "泰", "恒", "达", "宏", "信", "远", "嘉", "盛", "佳", "安", "兴", "隆", "丰", "博",
    "正", "金", "联", "创", "新", "海", "天", "明", "光", "德", "润", "凯", "锦", "邦", "威", "科", "捷", "诚",
    "汇", "利", "永", "昌", "祥", "和", "宇", "辰", "星", "睿", "智", "鸿", "腾", "越", "川", "源", "益", "晟",
    "为", "力", "德", "美", "康", "誉", "升", "航", "振", "众", "成", "立", "峰", "卓", "奥", "迅", "驰", "旭"};
struct Industry {
  const char* word;
  const char* industry;
};
const Industry kIndustries[] = {
    {"精密机械", "机械制造"}, {"电子科技", "电子信息"}, {"食品", "食品饮料"},   {"医药", "医药健康"},
    {"建材", "建筑建材"},     {"物流", "交通物流"},     {"新能源", "能源电力"}, {"汽车零部件", "汽车"},
    {"化工", "化工"},         {"纺织", "纺织服装"},     {"家居", "家居建材"},   {"软件", "软件服务"},
    {"百货", "零售"},         {"商贸", "批发贸易"},     {"环保科技", "环保"},   {"包装", "包装印刷"},
    {"智能装备", "机械制造"}, {"通信技术", "电子信息"}, {"超市连锁", "零售"},   {"酒店管理", "酒店餐饮"},
    {"农业发展", "农林牧渔"}, {"光电", "电子信息"},     {"材料", "新材料"},     {"医疗器械", "医药健康"}};
const char* const kSuffixes[] = {"有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司", "有限责任公司"};

template <typename T, std::size_t N>
const T& pick(std::mt19937_64& random, const T (&items)[N]) {
  return items[std::uniform_int_distribution<std::size_t>(0, N - 1)(random)];
}
}  // namespace

NameGenerator::Company NameGenerator::next() {
  const auto& places = sample_places();
  Company company;
  company.place = places[std::uniform_int_distribution<std::size_t>(0, places.size() - 1)(random_)];
  const auto& industry = pick(random_, kIndustries);
  company.industry = industry.industry;
  std::string city = company.place.city;
  const std::string shi = "市";
  if (city.size() > shi.size() && city.compare(city.size() - shi.size(), shi.size(), shi) == 0) {
    city.resize(city.size() - shi.size());
  }
  company.name =
      city + pick(random_, kBrandSyllables) + pick(random_, kBrandSyllables) + industry.word + pick(random_, kSuffixes);
  return company;
}

DemoSummary load_demo(db::Database& database, int account_count, const std::string& password) {
  auto c = database.acquire();
  if (c->query("SELECT count(*) FROM accounts").front().integer(0) > 0) {
    throw std::runtime_error("the database already has accounts; kam demo fills an empty database only");
  }
  DemoSummary summary;
  summary.password = password;
  const std::string hash = auth::hash_password(password);
  db::Transaction tx(*c, true);
  const std::string now = now_text();

  auto root_rows = c->query("SELECT id, path FROM departments WHERE parent_id IS NULL ORDER BY id LIMIT 1");
  if (root_rows.empty()) throw std::runtime_error("run the server or kam migrate first (no root department)");
  const auto root = root_rows.front().integer("id");
  auto add_department = [&](const std::string& name, std::int64_t parent) {
    const auto parent_path = c->query("SELECT path FROM departments WHERE id = ?", {parent}).front().text(0);
    const auto id =
        c->query(
             "INSERT INTO departments (name, parent_id, path, created_at, updated_at) VALUES (?, ?, '/', ?, "
             "?) RETURNING id",
             {name, parent, now, now})
            .front()
            .integer(0);
    c->query("UPDATE departments SET path = ? WHERE id = ?", {parent_path + std::to_string(id) + "/", id});
    ++summary.departments;
    return id;
  };
  const auto sales = add_department("大客户部", root);
  const auto east = add_department("华东大区", sales);
  const auto south = add_department("华南大区", sales);
  const auto north = add_department("华北大区", sales);
  const auto marketing = add_department("市场部", root);
  const auto finance = add_department("财务部", root);
  (void)marketing;

  auto add_user = [&](const std::string& username, const std::string& display, std::int64_t department,
                      const std::string& role) {
    const auto id = c->query(
                         "INSERT INTO users (username, password_hash, display_name, department_id, created_at, "
                         "updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                         {username, hash, display, department, now, now})
                        .front()
                        .integer(0);
    c->query("INSERT INTO user_roles (user_id, role_id) SELECT ?, id FROM roles WHERE code = ?", {id, role});
    ++summary.users;
    return id;
  };
  add_user("zhao.zongjian", "赵总监", sales, "director");
  add_user("qian.jingli", "钱经理", sales, "manager");
  add_user("sun.east", "孙经理", east, "manager");
  add_user("li.south", "李经理", south, "manager");
  add_user("zhou.neiqin", "周内勤", east, "assistant");
  add_user("wu.caiwu", "吴会计", finance, "finance");
  struct Rep {
    std::int64_t id;
    std::int64_t department;
  };
  std::vector<Rep> reps = {
      {add_user("zheng.wei", "郑伟", east, "specialist"), east},
      {add_user("wang.fang", "王芳", east, "specialist"), east},
      {add_user("feng.lei", "冯磊", south, "specialist"), south},
      {add_user("chen.jing", "陈静", south, "specialist"), south},
      {add_user("chu.yang", "褚阳", north, "specialist"), north},
      {add_user("wei.min", "卫敏", north, "specialist"), north},
  };

  NameGenerator names(20261129);
  std::vector<accounts::NewAccount> rows;
  for (int i = 0; i < account_count; ++i) {
    const auto company = names.next();
    const auto& rep = reps[static_cast<std::size_t>(i) % reps.size()];
    rows.push_back({company.name, company.industry, company.place.province, company.place.city,
                    company.place.city + "高新区创业路" + std::to_string(1 + i % 300) + "号", rep.id, rep.department});
  }
  accounts::insert_accounts_bulk(*c, rows);
  summary.accounts = account_count;
  tx.commit();
  approvals::load_demo(database, *c);  // gift and reception requests in every state
  activities::load_demo(*c);           // visits, follow-ups, contact logs and plans
  pipeline::load_demo(*c);             // opportunities in every stage and status, with history
  return summary;
}

}  // namespace kam::app
