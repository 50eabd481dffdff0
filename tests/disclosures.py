"""Small disclosures the tests write themselves, in the tab layout of samples/*.txt: a budget
(预算) and final accounts (决算) of one department and year, headed by the place they come
from (舟山市普陀区财政局), so the parser and the loader file them as they would a real one."""

from ingest.loader import ingest_bytes


def budget_text(department="舟山市普陀区财政局", year=2023, reception="1.00"):
    return f"""{department}{year}年部门预算

部门预算收支总表

编制部门：{department}

单位：万元

收入\t\t支出\t
项目\t预算数\t项目\t预算数
一、一般公共预算拨款收入\t100.00\t一、一般公共服务支出\t80.00
\t\t二、社会保障和就业支出\t20.00
本年收入合计\t100.00\t本年支出合计\t100.00
收入总计\t100.00\t支出总计\t100.00

部门预算支出总表

单位：万元

科目编码\t科目名称\t合计\t基本支出\t项目支出
\t合计\t100.00\t70.00\t30.00
201\t一般公共服务支出\t80.00\t50.00\t30.00
208\t社会保障和就业支出\t20.00\t20.00\t

部门预算财政拨款“三公”经费支出表

单位：万元

项目\t合计
合计\t{2 + float(reception):.2f}
一、因公出国（境）费\t0.00
二、公务用车购置及运维费\t2.00
其中：公务用车购置费\t0.00
公务用车运行维护费\t2.00
三、公务接待费\t{reception}
"""


def final_text(department="舟山市普陀区财政局", year=2023, expenditure="90.00"):
    return f"""{department}{year}年部门决算

收入支出决算总表

编制部门：{department}

单位：万元

收入\t\t支出\t
项目\t决算数\t项目\t决算数
一、一般公共预算财政拨款收入\t{expenditure}\t一、一般公共服务支出\t72.00
\t\t二、社会保障和就业支出\t{float(expenditure) - 72:.2f}
本年收入合计\t{expenditure}\t本年支出合计\t{expenditure}
收入总计\t{expenditure}\t支出总计\t{expenditure}

支出决算表

单位：万元

科目编码\t科目名称\t合计\t基本支出\t项目支出
\t合计\t{expenditure}\t{float(expenditure) - 24:.2f}\t24.00
201\t一般公共服务支出\t72.00\t48.00\t24.00
208\t社会保障和就业支出\t{float(expenditure) - 72:.2f}\t{float(expenditure) - 72:.2f}\t

财政拨款“三公”经费支出决算表

单位：万元

项目\t预算数\t决算数
合计\t3.00\t1.50
一、因公出国（境）费\t0.00\t0.00
二、公务用车购置及运维费\t2.00\t1.50
其中：公务用车购置费\t0.00\t0.00
公务用车运行维护费\t2.00\t1.50
三、公务接待费\t1.00\t0.00
"""


def ingest_text(text, name, **kwargs):
    """Parse with ingest.parser.parse_bytes and save with the loader, as `manage.py ingest` does."""
    return ingest_bytes(text.encode(), name, **kwargs)
