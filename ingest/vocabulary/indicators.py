"""The wording of performance-indicator tables (绩效目标表): their titles, the headers of
their columns and the labels of the rows around them."""

import re

# A table title naming indicators, and what to cut from it to leave the project's name.
TITLE = re.compile(r"绩效(目标|指标)(申报)?表?$")
TITLE_SUFFIX = re.compile(r"(项目)?(支出)?绩效(目标|指标)(申报)?表?$")

# Column header labels (whitespace removed, trailing parenthetical dropped) -> field.
COLUMN_FIELDS = {
    "职责活动": "activity",
    "工作活动": "activity",
    "活动名称": "activity",
    "年度预算数": "budget",
    "年度预算": "budget",
    "预算数": "budget",
    "内容描述": "description",
    "活动内容": "description",
    "绩效目标": "goal",
    "绩效指标": "name",
    "指标名称": "name",
    "三级指标": "name",
    "一级指标": "level1",
    "二级指标": "level2",
    "绩效指标描述": "description",
    "指标描述": "description",
    "指标内容": "description",
    "指标解释": "description",
    "指标值": "target",
    "目标值": "target",
    "年度指标值": "target",
    "指标目标值": "target",
    "预期目标值": "target",
    "指标值确定依据": "basis",
    "指标值设定依据": "basis",
    "确定依据": "basis",
    "评价标准": "grades",
    "优": "excellent",
    "优秀": "excellent",
    "良": "good",
    "良好": "good",
    "中": "fair",
    "中等": "fair",
    "差": "poor",
    "较差": "poor",
}
# Row labels printed above or inside a project table: 项目名称 names the group, the
# others describe the project and are not indicators.
PROJECT_LABELS = {
    "项目名称": "group",
    "绩效目标": None,
    "年度绩效目标": None,
    "项目绩效目标": None,
    "年度目标": None,
    "总体目标": None,
    "主管部门": None,
    "实施单位": None,
    "项目资金": None,
}
