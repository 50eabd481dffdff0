"""Performance indicators (绩效指标) read from the samples and from variants written here."""

from collections import Counter
from pathlib import Path

import pytest

from ingest.indicators import parse_indicators
from ingest.readers.text import read_text

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _sample(name):
    return parse_indicators(read_text((SAMPLES / name).read_bytes(), name))


def _tsv(text):
    """A PDF-style document: a line with tabs is a row."""
    return parse_indicators(read_text(text.encode(), "variant.txt"))


def _cells(*blocks):
    """A Word-style document: a string is a paragraph, a tuple a row of one-cell lines."""
    lines = []
    for block in blocks:
        if isinstance(block, str):
            lines += [block, ""]
        else:
            lines += [f"\t{cell}" for cell in block] + [""]
    return parse_indicators(read_text("\n".join(lines).encode(), "variant.txt"))


def _one(indicators, name):
    found = [i for i in indicators if i["name"] == name]
    assert len(found) == 1, f"{name!r}: {len(found)} found"
    return found[0]


# --- the samples -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("gaoyi-2019.txt", 56),
        ("laiyuan-2016.txt", 52),
        ("wuji-2018.txt", 25),
        ("pingxiang-2021.txt", 104),
        ("gaoyi-2022.txt", 22),
    ],
)
def test_sample_indicator_count(name, count):
    assert len(_sample(name)) == count


def test_gaoyi_2019_grade_cut_by_page_break_is_joined():
    row = _one(_sample("gaoyi-2019.txt"), "政务公开率")
    assert row["grades"] == {"excellent": "90%以上", "good": "80-89%", "fair": "60-79%", "poor": "60%以下"}
    assert row["group"] == "政务公开"
    assert row["parent"] == "政务服务"
    assert row["budget"] == "28.00"
    assert row["kind"] == "activity"
    assert row["target"] is None
    assert row["source"] == {"table": "部门职责-工作活动绩效目标", "line": 239}
    # the 内容描述 cell continues on the next page, after the repeated header
    assert row["description"] == (
        "承担县政务公开暨行政权力公开透明运行工作领导小组的日常工作，"
        "指导和协调全县政务公开及政务服务中心建设、推进行政服务体系标准化建设工作。"
    )


def test_gaoyi_2019_name_cut_by_page_break_is_joined():
    indicators = _sample("gaoyi-2019.txt")
    row = _one(indicators, "金融机构入驻县手续办理及时性")
    assert row["group"] == "金融交流合作"
    assert row["grades"]["good"] == "80-89%"
    assert not [i for i in indicators if i["name"] in ("理及时性", "金融机构入驻县手续办")]


def test_gaoyi_2019_activity_headings_are_not_indicators():
    indicators = _sample("gaoyi-2019.txt")
    assert {"政务服务", "应急管理"} & {i["name"] for i in indicators} == set()
    assert Counter(i["group"] for i in indicators)["小额贷款公司监管"] == 6
    row = _one(indicators, "检查信息公开履行职责（次）")
    assert row["grades"] == {"excellent": "≥5", "good": "[3, 5)", "fair": "[1, 3)", "poor": "0"}


def test_laiyuan_2016_indented_sub_activities():
    indicators = _sample("laiyuan-2016.txt")
    row = _one(indicators, "督导巡查次数")
    assert row["grades"] == {"excellent": "100%", "good": "3", "fair": "2", "poor": "1"}
    assert row["group"] == "小额贷款公司监管"
    partial = _one(indicators, "突发事件处理")
    assert partial["grades"] == {"excellent": "及时", "good": None, "fair": None, "poor": "不及时"}
    budgeted = _one(indicators, "工程验收合格率100%")
    assert (budgeted["group"], budgeted["parent"], budgeted["budget"]) == (
        "工程建设",
        "人民防空工程建设和维护",
        "10.00",
    )


def test_wuji_2018_rows():
    indicators = _sample("wuji-2018.txt")
    row = _one(indicators, "系统全年累计故障时长（小时）")
    assert row["grades"] == {"excellent": "＜48", "good": "＜96", "fair": "＜192", "poor": "≥192"}
    assert row["group"] == "应急管理"
    ungraded = _one(indicators, "承办大型会议次数")
    assert ungraded["grades"] is None
    assert ungraded["group"] == "政务公开、会议管理、督查督办、打私事务、政务联络"
    assert ungraded["budget"] == "95.1"


def test_pingxiang_2021_project_groups():
    indicators = _sample("pingxiang-2021.txt")
    assert Counter(i["group"] for i in indicators) == {
        "人民防空宣教基地建设（上年结转）": 10,
        "综合业务事务管理": 17,
        "政府电子政务管理与服务": 13,
        "金融综合业务管理（含举报非法集资奖）": 14,
        "人民防空经费zd": 10,
        "人民防空经费f": 9,
        "人民防空宣教基地建设": 10,
        "政务服务与政务管理": 12,
        "政府法制专家及法律顾问工作经费": 9,
    }
    row = _one(indicators, "法律顾问费")
    assert (row["level1"], row["level2"], row["target"]) == ("产出指标", "成本指标", "10000元")
    assert row["basis"] == "聘请常年法律顾问协议书"
    assert row["description"] == "每年法律顾问费"
    assert row["kind"] == "project"
    assert row["grades"] is None
    assert row["source"] == {"table": "9.政府法制专家及法律顾问工作经费绩效目标表", "line": 940}
    # prose 绩效指标： sentences of 分项绩效目标 are not rows
    assert not [i for i in indicators if i["name"].startswith("绩效指标")]


def test_gaoyi_2022_level1_filled_down_across_page_break():
    indicators = _sample("gaoyi-2022.txt")
    assert Counter(i["group"] for i in indicators) == {
        "大气办经费": 5,
        "会议费": 5,
        "政府聘请法律顾问经费": 5,
        "政务服务": 7,
    }
    row = _one(indicators, "会议规模")
    assert (row["group"], row["level1"], row["level2"], row["target"]) == (
        "会议费",
        "产出指标",
        "数量指标",
        "≥100人",
    )
    assert row["source"]["line"] == 571
    assert _one(indicators, "印发文件数量")["target"] == "≥500期"
    # the 绩效目标 row printed below the header is not an indicator
    assert not [i for i in indicators if i["name"].startswith("1.")]


# --- variants ----------------------------------------------------------------------------------

EDUCATION_TSV = """\
部门职责-工作活动绩效目标
512 某县教育局
单位：元
职责活动\t年度预算数\t内容描述\t绩效目标\t绩效指标\t评价标准\t\t\t
\t\t\t\t\t优\t良\t中\t差
（一）教育管理\t1,250,000.00\t全县中小学管理。\t办学水平提升。\t\t\t\t\t
1.学校督导\t850,000.00\t督导全县中小\t督导覆盖全部学校\t督导覆盖率\t100%\t≥95%\t≥90%\t<90%
\t\t\t\t督导报告按期报送率\t100%\t≥95%\t≥90%\t<90%
2.教师培训\t400,000.00\t组织教师全员培训\t培训合格\t参训教师人
- 3 -
512 某县教育局
单位：元
职责活动\t年度预算数\t内容描述\t绩效目标\t绩效指标\t评价标准\t\t\t
\t\t\t\t\t优\t良\t中\t差
\t\t\t\t次\t≥2000\t≥1500\t≥1000\t<1000
\t\t\t\t培训合格率\t≥98%\t≥95%\t≥90%\t<90%
二、资助管理\t\t学生资助。\t应助尽助。\t\t\t\t\t
1.学生资助\t\t发放资助金。\t资助及时足额。\t资助发放及时率\t100%\t≥95%\t≥90%\t<90%
六、政府采购预算情况
采购项目\t金额
合计\t0
"""


def test_variant_other_department_activity_table_in_yuan():
    indicators = _tsv(EDUCATION_TSV)
    assert [i["name"] for i in indicators] == [
        "督导覆盖率",
        "督导报告按期报送率",
        "参训教师人次",
        "培训合格率",
        "资助发放及时率",
    ]
    row = indicators[0]
    assert (row["group"], row["parent"], row["budget"]) == ("学校督导", "教育管理", "85.000000")
    assert row["source"] == {"table": "部门职责-工作活动绩效目标", "line": 7}
    # a name cut by the page break, under the repeated page header and column header
    cut = indicators[2]
    assert cut["grades"] == {"excellent": "≥2000", "good": "≥1500", "fair": "≥1000", "poor": "<1000"}
    assert (cut["group"], cut["budget"]) == ("教师培训", "40.000000")
    assert indicators[4]["group"] == "学生资助"
    assert "budget" not in indicators[4]


def test_variant_grade_cut_at_another_row():
    text = """\
部门职责-工作活动绩效目标
职责活动\t年度预算数\t内容描述\t绩效目标\t绩效指标\t评价标准\t\t\t
\t\t\t\t\t优\t良\t中\t差
1.学校督导\t85.00\t督导全县中小学\t督导覆盖全部学校\t督导覆盖率\t100%\t≥9\t≥90%\t<90%
职责活动\t年度预算数\t内容描述\t绩效目标\t绩效指标\t评价标准\t\t\t
\t\t\t\t\t优\t良\t中\t差
\t\t\t\t\t\t5%\t\t
\t\t\t\t督导报告按期报送率\t100%\t≥95%\t≥90%\t<90%
"""
    indicators = _tsv(text)
    assert [i["name"] for i in indicators] == ["督导覆盖率", "督导报告按期报送率"]
    assert indicators[0]["grades"] == {"excellent": "100%", "good": "≥95%", "fair": "≥90%", "poor": "<90%"}
    assert indicators[1]["group"] == "学校督导"


def test_variant_project_table_split_inside_a_description():
    text = """\
第三部分 预算项目绩效目标
1、农村道路养护经费绩效目标表
绩效目标\t1.保障农村公路安全畅通。\t\t\t\t
一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据
产出指标\t数量指标\t养护里程\t全年养护农村公路\t≥120 公里\t年度计划
\t质量指标\t路面完好率\t养护后路面完好的里程占养护总
一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据
\t\t\t里程的比率\t≥95%\t行业标准
\t时效指标\t养护及时率\t病害发现后按时处置\t100%\t行业标准
效益指标\t社会效益指标\t群众出行便利\t出行时间缩短\t明显改善\t
2、防汛物资经费绩效目标表
一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据
产出指标\t数量指标\t物资储备批次\t储备防汛物资批次\t≥2批\t应急预案
"""
    indicators = _tsv(text)
    assert Counter(i["group"] for i in indicators) == {"农村道路养护经费": 4, "防汛物资经费": 1}
    cut = _one(indicators, "路面完好率")
    assert cut["description"] == "养护后路面完好的里程占养护总里程的比率"
    assert (cut["level1"], cut["level2"], cut["target"], cut["basis"]) == (
        "产出指标",
        "质量指标",
        "≥95%",
        "行业标准",
    )
    after = _one(indicators, "养护及时率")
    assert (after["level1"], after["level2"]) == ("产出指标", "时效指标")
    assert _one(indicators, "养护里程")["target"] == "≥120公里"
    assert "basis" not in _one(indicators, "群众出行便利")
    # a new table title starts a new project: nothing is filled down into it
    assert _one(indicators, "物资储备批次")["level1"] == "产出指标"


def test_variant_target_column_before_description_and_full_width_text():
    text = """\
（二）项目支出绩效目标表（表十一）
项目名称\t智慧校园建设
一 级 指 标\t二级指标\t三级指标\t指标值（包含数字及文字描述）\t指标描述
产出指标\t数量指标\t建设智慧教室\t≥１２间\t新建智慧教室数量
\t\t设备验收合格率\t１００％\t验收合格设备占比
满意度指标\t服务对象满意度指标\t师生满意度\t≥９０％\t问卷调查
"""
    indicators = _tsv(text)
    assert [i["group"] for i in indicators] == ["智慧校园建设"] * 3
    row = _one(indicators, "设备验收合格率")
    assert (row["level1"], row["level2"], row["target"], row["description"]) == (
        "产出指标",
        "数量指标",
        "１００％",
        "验收合格设备占比",
    )
    assert row["source"]["table"] == "（二）项目支出绩效目标表（表十一）"


def test_variant_full_width_numbered_title_names_the_group():
    text = """\
１．城区绿化养护（上年结转）绩效目标表
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t养护面积\t≥5万平方米
"""
    assert _tsv(text)[0]["group"] == "城区绿化养护（上年结转）"


def test_variant_activity_table_without_grades_budget_in_yuan():
    text = """\
部门职责-工作活动绩效目标
职责活动\t年度预算数（元）\t绩效指标\t指标值
一、档案管理\t125,000\t\t
1、档案接收\t125,000\t接收进馆档案\t≥3000卷
\t\t档案数字化率\t≥60%
"""
    indicators = _tsv(text)
    assert [(i["group"], i["name"], i["target"], i["grades"]) for i in indicators] == [
        ("档案接收", "接收进馆档案", "≥3000卷", None),
        ("档案接收", "档案数字化率", "≥60%", None),
    ]
    assert indicators[1]["budget"] == "12.5000"


def test_variant_title_and_page_number_repeated_on_each_page():
    text = """\
部门职责-工作活动绩效目标
职责活动\t年度预算数\t内容描述\t绩效目标\t绩效指标\t评价标准\t\t\t
\t\t\t\t\t优\t良\t中\t差
1、市场监管\t\t开展双随机抽\t监管全覆盖\t抽查任务完成\t100%\t≥95%\t≥90%\t<90%
第 7 页
部门职责-工作活动绩效目标
职责活动\t年度预算数\t内容描述\t绩效目标\t绩效指标\t评价标准\t\t\t
\t\t\t\t\t优\t良\t中\t差
\t\t查。\t\t率\t\t\t\t
\t\t\t\t问题整改率\t100%\t≥95%\t≥90%\t<90%
"""
    indicators = _tsv(text)
    assert [(i["group"], i["name"], i["description"]) for i in indicators] == [
        ("市场监管", "抽查任务完成率", "开展双随机抽查。"),
        ("市场监管", "问题整改率", "开展双随机抽查。"),
    ]


def test_variant_word_project_table_with_dropped_merged_cells():
    indicators = _cells(
        "3.便民服务热线运行经费绩效目标表",
        ("", "20.00%", "50.00%", "80.00%", "100.00%"),
        ("绩效目标", "保障热线全天候运行。"),
        ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"),
        ("产出指标", "数量指标", "受理来电", "全年受理来电数量", "≥20000件", "往年数据"),
        ("时效指标", "按时办结率", "按时办结占比", "≥95%", "工作要求"),
        ("按时回访率", "按时回访占比", "≥90%", "工作要求"),
        ("", "20.00%", "50.00%", "80.00%", "100.00%"),
        ("满意度指标", "服务对象满意度指标", "来电群众满意度", "回访满意占比", "≥90%", "调查问卷"),
    )
    assert [(i["level1"], i["level2"], i["name"]) for i in indicators] == [
        ("产出指标", "数量指标", "受理来电"),
        ("产出指标", "时效指标", "按时办结率"),
        ("产出指标", "时效指标", "按时回访率"),
        ("满意度指标", "服务对象满意度指标", "来电群众满意度"),
    ]
    assert {i["group"] for i in indicators} == {"便民服务热线运行经费"}
    assert indicators[2]["target"] == "≥90%"


def test_variant_word_activity_table_with_indented_sub_activities():
    indicators = _cells(
        "部门职责-工作活动绩效目标",
        ("601卫健局", "单位：万元"),
        ("职责活动", "年度预算数", "内容描述", "绩效目标", "绩效指标", "评价标准"),
        ("", "", "", "", "", "优", "良", "中", "差"),
        ("公共卫生服务", "30.00", "基本公共卫生。", "服务均等化。", "", "", "", "", ""),
        (
            "\u3000\u3000疫苗接种",
            "18.00",
            "适龄儿童接种。",
            "应种尽种。",
            "接种率",
            "≥95%",
            "≥90%",
            "≥85%",
            "<85%",
        ),
        ("建档率", "≥90%", "≥85%", "≥80%", "<80%"),
        ("\u3000\u3000健康教育", "", "健康讲座。", "提升素养。", "讲座次数", "≥12", "[8,12)", "[4,8)", "<4"),
    )
    assert [(i["group"], i["name"], i.get("budget")) for i in indicators] == [
        ("疫苗接种", "接种率", "18.00"),
        ("疫苗接种", "建档率", "18.00"),
        ("健康教育", "讲座次数", None),
    ]
    assert {i["parent"] for i in indicators} == {"公共卫生服务"}
    assert indicators[1]["grades"] == {"excellent": "≥90%", "good": "≥85%", "fair": "≥80%", "poor": "<80%"}


def test_document_without_indicator_tables_gives_nothing():
    text = """\
五、预算绩效信息
（二）分项绩效目标
绩效目标：保障机关正常运转。
绩效指标：会议保障完成率达到95%以上，群众满意度达到90%以上。
部门收支预算总表
项目\t预算金额
收入总计\t1150.51
"""
    assert _tsv(text) == []


def test_rows_after_the_table_are_not_indicators():
    indicators = _tsv(EDUCATION_TSV)
    assert "合计" not in {i["name"] for i in indicators}
    assert len(indicators) == 5
