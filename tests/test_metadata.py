"""Metadata rules on text written for these tests (our own words, real place names, invented facts)."""

from __future__ import annotations

import pytest

from ingest.cleaning import clean
from ingest.metadata import infer_metadata
from ingest.model import DocType
from ingest.pipeline import apply_overrides


def meta_of(text: str):
    return infer_metadata("t.txt", clean(text))


def test_county_names_are_whole_gazetteer_names_not_grown_fragments():
    meta = meta_of("2021年，于都县紧扣年度目标，持续推进依法行政。\n一、主要做法\n于都县人民政府组织专题学法。")
    assert (meta.region, meta.level, meta.province, meta.city) == ("于都县", "县", "江西省", "赣州市")
    assert meta.division_code == "360731" and "于都" in meta.aliases


def test_a_city_report_naming_its_district_committees_is_the_city():
    meta = meta_of("洛阳市人民政府关于2022年度法治政府建设情况的报告\n"
                   "2022年，洛阳市各级政府依法履职。全市9个区委、6个县委均召开专题会议，西工区、涧西区作交流发言。")
    assert (meta.region, meta.level, meta.province) == ("洛阳市", "地级市", "河南省")


def test_a_report_that_names_itself_only_inside_its_own_rules_is_not_its_province():
    # It calls itself a bare 县人民政府; its name stands only in the titles of its own rules, the province
    # only in the title of the provincial outline it follows.
    meta = meta_of("按照督察工作规定，现将县人民政府2023年法治政府建设情况报告如下。\n一、工作成效\n"
                   "2023年，县人民政府对照《江西省法治政府建设实施纲要（2021—2025年）》逐项推进，"
                   + "把依法行政贯穿政府工作全过程，" * 12 + "取得新进展。\n"
                   "（一）健全制度。县人民政府修订《浮梁县重大行政决策程序规定》《浮梁县行政规范性文件管理办法》。")
    assert (meta.region, meta.level, meta.province, meta.city) == ("浮梁县", "县", "江西省", "景德镇市")


@pytest.mark.parametrize(
    "context, province, city",
    [("2023年，朝阳区在北京市委的领导下深化法治建设。", "北京市", "北京市"),
     ("2023年，朝阳区在长春市委、市政府领导下深化法治建设，法治长春建设稳步推进。", "吉林省", "长春市")],
)
def test_same_name_districts_are_resolved_by_the_city_the_text_names(context, province, city):
    meta = meta_of(context + "\n一、工作开展情况\n朝阳区人民政府全年召开常务会议学法12次。")
    assert (meta.region, meta.province, meta.city) == ("朝阳区", province, city)


def test_an_unresolvable_same_name_district_is_flagged_for_review():
    meta = meta_of("2023年，普陀区持续推进法治政府建设。\n普陀区人民政府开展专项督察。")
    assert meta.region == "普陀区" and {"province", "city"} <= set(meta.uncertain)


def test_the_addressee_names_the_parent_not_the_author():
    meta = meta_of("中共宜宾市委、宜宾市人民政府：\n2022年，我县坚持依法行政，推动法治江安建设走深走实。\n"
                   "一、主要举措\n中共江安县委常委会专题研究法治工作，江安县人民政府印发年度要点。")
    assert (meta.region, meta.level, meta.city) == ("江安县", "县", "宜宾市")


def test_long_autonomous_county_names_are_found_by_their_short_forms():
    meta = meta_of("2022年，峨边自治县认真落实法治政府建设各项任务。\n峨边县人民政府依法决策。")
    assert meta.region == "峨边彝族自治县" and {"峨边县", "峨边"} <= set(meta.aliases)


def test_a_department_report_belongs_to_its_area_with_level_department():
    meta = meta_of("太仓市司法局2023年法治政府建设工作报告\n2023年，市司法局围绕中心工作履职尽责。")
    assert (meta.region, meta.level, meta.province, meta.author) == ("太仓市", "部门", "江苏省", "太仓市司法局")


def test_a_ministry_reports_for_the_whole_country():
    meta = meta_of("自然资源部2022年法治政府建设情况报告\n2022年，自然资源部坚持依法行政。广东省、浙江省自然资源厅交流经验。")
    assert (meta.region, meta.province, meta.level, meta.author) == ("全国", None, "国家", "自然资源部")


def test_a_development_zone_keeps_its_own_name():
    meta = meta_of("2023年，长沙经开区管委会坚持依法行政。长沙经济技术开发区全年新增市场主体1200户。\n"
                   "一、工作情况\n区管委会推进法治建设，法治长沙建设考评中获评优秀。")
    assert meta.level == "开发区" and meta.region.startswith("长沙") and meta.province == "湖南省"


def test_traditional_script_pages_are_read_like_simplified_ones():
    meta = meta_of("2023年，龍泉驛區堅持以法治思想為指導。\n龍泉驛區人民政府推進依法行政。")
    assert (meta.region, meta.province, meta.city) == ("龙泉驿区", "四川省", "成都市")


def test_a_province_report_without_title_is_the_province():
    meta = meta_of("2021年，全省各级政府坚持依法行政，法治贵州建设取得新进展。\n一、加强组织领导\n"
                   "省政府常务会议专题研究法治政府建设，遵义市、六盘水市作经验交流。")
    assert (meta.region, meta.level) == ("贵州省", "省")


@pytest.mark.parametrize(
    "text, kind",
    [("福州市中级人民法院行政审判白皮书（2021年度）\n一、全市法院一审行政案件基本情况\n全市两级法院共受理一审行政案件820件。",
      DocType.COURT_REPORT),
     ("鼓楼区人民政府2022年政府信息公开工作年度报告\n根据《中华人民共和国政府信息公开条例》编制本报告。",
      DocType.DISCLOSURE_REPORT),
     ("关于印发鼓楼区2023年法治政府建设工作要点的通知\n各街道办事处：现将要点印发给你们，请认真贯彻落实。",
      DocType.PLAN),
     ("一、案件办理情况\n2023年新收行政复议案件96件，同比增长18%。\n二、被申请人分布\n区政府部门占82件。",
      DocType.CASE_ANALYSIS),
     ("鼓楼区2022年法治政府建设情况报告\n2022年，鼓楼区坚持依法行政。现将有关情况报告如下：", DocType.ANNUAL_REPORT)],
)
def test_look_alike_documents_are_typed(text, kind):
    assert meta_of(text).doc_type == kind.value


def test_portal_chrome_goes_and_its_dates_become_metadata():
    page = "\n".join([
        "鄞州区人民政府门户网站  今天是：2027年1月5日 星期二 农历腊月初七",
        "无障碍 | 简体 | 繁体",
        "您所在的位置：首页 > 政务公开 > 年度报告",
        "鄞州区2023年法治政府建设情况报告",
        "文章来源：区司法局  更新时间：2024/03/18 15:02:11  浏览次数：206",
        "  • 【字体：大 中 小】",
        "鄞州区2023年法治政府建设情况的报告",
        "2023年，鄞州区坚持以习近平法治思想为指导，全面推进依法行政，各项工作取得积极成效，现将有关情况报告如下。",
        "一图读懂：鄞州区2023年法治政府建设情况报告",
        "浙ICP备05012345号",
    ])
    result = clean(page)
    assert result.published == "2024-03-18" and result.title == "鄞州区2023年法治政府建设情况报告"
    assert result.lines == [page.splitlines()[7]]
    assert result.source == "区司法局"


def test_metadata_table_dates_rank_below_the_publication_date():
    page = "索引号：| 11330212/2024-0033 | 主题分类：| 司法 |\n成文日期：| 2024-02-26 | 发布日期：| 2024-02-28 |\n" \
           "海曙区2023年法治政府建设工作报告\n2023年，海曙区扎实推进法治政府建设，现将有关情况报告如下。"
    assert clean(page).published == "2024-02-28"


def test_a_signature_in_chinese_numerals_dates_the_report():
    result = clean("2023年，某项工作取得进展。\n湘潭县人民政府\n二〇二四年三月十二日")
    assert result.signed == "2024-03-12" and result.signer == "湘潭县人民政府"


def test_the_year_comes_from_next_years_plans_when_the_text_gives_no_other():
    text = "过去一年，宁乡市持续推进法治政府建设。\n一、主要工作\n宁乡市人民政府召开常务会议。\n三、2025年工作打算\n继续深化改革。"
    assert meta_of(text).year == 2024


def test_a_correction_confirms_the_field_and_fills_what_follows_from_the_name():
    meta = meta_of("2023年，普陀区持续推进法治政府建设。\n普陀区人民政府开展专项督察。")
    fixed = apply_overrides(meta, {"region": "普陀区", "province": "浙江省"})
    assert (fixed.city, fixed.division_code, fixed.level) == ("舟山市", "330903", "区")
    assert not {"region", "province", "city", "level"} & set(fixed.uncertain)
    assert apply_overrides(meta, {"region": "长阳县"}).region == "长阳土家族自治县"


def test_a_government_named_by_its_level_alone_is_named_by_its_region():
    text = ("县人大常委会：\n2023年，县政府深入推进依法行政，宁陵县“一村一法律顾问”实现全覆盖，全县办理法律援助案件210件。\n"
            "一、主要工作\n（一）加强组织领导。县政府常务会议学法12次。")
    meta = infer_metadata("x.txt", clean(text))
    assert (meta.region, meta.author) == ("宁陵县", "宁陵县人民政府")


def test_a_second_name_in_the_title_brackets_is_an_alias_of_the_region():
    text = ("空港新城（双流区）人民政府2023年法治政府建设工作报告\n2023年，区政府深入推进依法行政，全年办理法律援助案件320件。\n"
            "一、主要工作\n（一）加强组织领导。")
    meta = infer_metadata("x.txt", clean(text))
    assert meta.region == "双流区" and "空港新城" in meta.aliases


@pytest.mark.parametrize("text, region", [
    ("石门坎乡人民政府关于2023年度法治政府建设情况的报告\n2023年，石门坎乡坚持依法行政，乡党委每季度专题学法一次。", "石门坎乡"),
    ("2022年，北关街道办事处深入推进基层依法治理，调处邻里纠纷46起。\n一、主要工作", "北关街道"),
    ("青溪镇2024年法治建设工作报告\n2024年以来，青溪镇聚焦村规民约修订，全镇村(社区)法律顾问实现全覆盖。", "青溪镇"),
])
def test_a_town_report_is_the_towns_flagged_for_review_since_no_gazetteer_lists_towns(text, region):
    meta = meta_of(text)
    assert (meta.region, meta.level) == (region, "乡镇") and {"region", "level"} <= set(meta.uncertain)


def test_a_zone_office_that_names_its_zone_only_in_quoted_titles_takes_that_name():
    meta = meta_of("2024年，新区司法局在新区党工委的领导下，推进依法行政。印发《蓝湾新区2024年法治建设要点》，"
                   "组织“蓝湾新区法治讲堂”6期。新区各部门完成执法案卷自查。")
    assert (meta.region, meta.level) == ("蓝湾新区", "部门")


def test_the_portal_source_names_the_author_when_nothing_else_does():
    meta = meta_of("叶县2023年法治政府建设工作报告\n来源：叶县司法局 发布时间：2024-03-02\n"
                   "2023年，在市委、市政府的坚强领导下，叶县坚持依法行政，持续优化营商环境，全年办理行政复议案件31件，调解矛盾纠纷420起。")
    assert meta.region == "叶县" and meta.author == "叶县司法局"


@pytest.mark.parametrize("text, region, level", [
    ("2025年度龙华路街道法治政府建设情况报告\n区政府：\n2025年，龙华路街道坚持依法行政，全年化解信访积案12件。", "龙华路街道", "乡镇"),
    ("2024年西江经济技术开发区法治政府建设情况报告\n2024年，开发区管委会坚持依法行政，开发区全年新增企业310户。", "西江经济技术开发区", "开发区"),
])
def test_a_title_that_opens_with_its_year_still_names_its_body(text, region, level):
    meta = meta_of(text)
    assert (meta.region, meta.level) == (region, level)


def test_a_town_written_after_its_county_and_city_is_the_town_in_that_county():
    meta = meta_of("重庆市綦江区石壕镇人民政府关于2024年法治政府建设情况的报告\n2024年，石壕镇坚持依法行政，调处纠纷35起。")
    assert (meta.region, meta.level, meta.province) == ("石壕镇", "乡镇", "重庆市")


def test_a_town_named_only_as_the_subject_of_its_opening_is_found():
    meta = meta_of("县委全面依法治县委员会：\n2023年，石桥乡法治政府建设工作在县委、县政府的领导下，稳步推进，全年调解纠纷28起。")
    assert (meta.region, meta.level) == ("石桥乡", "乡镇")


def test_a_common_word_that_is_also_a_short_county_name_names_no_county():
    meta = meta_of("2023年，全区公安机关在区委、区政府的领导下，坚持依法履职，全年查处交通违法1.2万起。\n一、主要工作")
    assert meta.region != "公安县"
    zone = meta_of("合肥高新区管委会2023年法治政府建设情况报告\n2023年，合肥高新区管委会坚持依法行政，全年新设企业3100户。")
    assert zone.city == "合肥市" and zone.level == "开发区"


def test_a_town_named_only_by_its_publishing_body_is_that_town():
    meta = meta_of("发布机构：白莲镇人民政府\n县委、县政府：\n"
                   "2024年，我镇法治政府建设工作在县委、县政府的指导下稳步推进，全年调处矛盾纠纷41起，化解率98%。\n一、主要工作")
    assert (meta.region, meta.level) == ("白莲镇", "乡镇")


def test_a_town_typed_as_a_correction_keeps_its_level_and_takes_its_countys_place():
    town = meta_of("寺庄镇2024年法治政府建设工作情况的报告\n2024年，寺庄镇坚持依法行政，全年调解纠纷30起。")
    corrected = apply_overrides(town, {"region": "高平市寺庄镇"})
    assert (corrected.region, corrected.level, corrected.province, corrected.city) == ("寺庄镇", "乡镇", "山西省", "晋城市")
    assert "region" not in corrected.uncertain and "province" not in corrected.uncertain
    assert apply_overrides(town, {"region": "龙门镇"}).level == "乡镇"


@pytest.mark.parametrize(
    "head, speaker",
    [("2026年浙江省政府工作报告\n——2026年1月20日在浙江省第十四届人民代表大会第五次会议上\n浙江省省长 林子墨\n", "浙江省省长 林子墨"),
     ("政府工作报告\n——2031年3月5日在第十六届全国人民代表大会第二次会议上\n国务院总理　\n王　明\n", "国务院总理 王明"),
     ("2026年新疆维吾尔自治区政府工作报告\n自治区主席 阿布都·热合曼\n", "自治区主席 阿布都·热合曼"),
     ("2026年湖北省政府工作报告\n——2026年1月12日在湖北省第十四届人民代表大会第五次会议上\n"
      "1月12日，大会在武汉开幕。省长周明远代表省人民政府向大会作政府工作报告。\n", "省长 周明远")])
def test_the_speaker_of_a_session_report_is_read_from_its_head_or_caption(head, speaker):
    body = "各位代表：\n现在，我代表省人民政府向大会报告工作，请予审议。\n一、2025年工作回顾\n过去一年，全省地区生产总值增长5.5%。\n"
    cleaned = clean(head + body)
    meta = infer_metadata("t.txt", cleaned)
    assert meta.speaker == speaker
    assert not any(speaker.split()[-1] in line for line in cleaned.lines[:1])  # the speaker line is not report text


def test_a_short_title_line_with_an_office_in_it_is_no_speaker():
    meta = meta_of("司法局局长述职报告\n2023年，我带领全局干部依法履职，办理行政复议案件120件。\n")
    assert meta.speaker is None


def test_a_news_lead_about_the_supreme_procuratorates_report_is_national_and_names_its_speaker():
    meta = meta_of("最高人民检察院检察长王小明3月8日在十四届全国人大三次会议上作最高人民检察院工作报告。\n"
                   "报告显示，2025年全国检察机关共办理行政检察监督案件5.2万件。\n")
    assert (meta.region, meta.level, meta.author) == ("全国", "国家", "最高人民检察院")
    assert meta.speaker == "检察长 王小明"


def test_a_generic_class_of_divisions_in_the_body_is_no_region():
    meta = meta_of("近日，我们对全市2030年度的行政复议工作进行了汇总和分析。\n"
                   "全年以市政府为被申请人的复议案件60件；以区县政府为被申请人的复议案件2000件。\n")
    assert meta.region is None and "region" in meta.uncertain


def test_a_bare_bureau_as_the_subject_is_named_after_the_reports_county():
    meta = meta_of("三门县司法局2030年工作总结\n2030年，在县委、县政府的坚强领导下，县司法局坚持依法履职，办理法律援助案件300件。\n")
    assert meta.author == "三门县司法局" and meta.level == "部门"


def test_a_text_that_never_names_its_place_takes_a_division_named_in_its_file_name_to_be_confirmed():
    text = "近日，我们对全市2030年度的行政复议工作进行了汇总和分析。\n全年本市各级行政复议机关共收到申请6200件。\n"
    meta = infer_metadata("杭州市2030年行政复议情况.txt", clean(text))
    assert (meta.region, meta.level, meta.province) == ("杭州市", "地级市", "浙江省")
    assert {"region", "level"} <= set(meta.uncertain)
    assert infer_metadata("行政复议情况.txt", clean(text)).region is None
    # The text's own place wins over the file's name.
    named = infer_metadata("杭州市材料.txt", clean("绥滨县2030年法治政府建设情况报告\n" + text))
    assert named.region == "绥滨县"
