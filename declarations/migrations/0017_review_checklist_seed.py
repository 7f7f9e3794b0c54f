"""A first review checklist (四性审核) and its ready opinions, for the
administrators to edit in the admin: the questions a reviewer of 绩效目标
asks, under each of the four aspects."""

from django.db import migrations

CHECKLIST = {
    "completeness": [
        (
            "绩效目标和绩效指标是否填写完整，产出、效益、满意度指标是否齐全",
            [
                "产出数量指标未体现项目主要工作内容，请补充。",
                "绩效目标只写了工作内容，请写明年度内要达到的效果。",
                "缺少服务对象满意度指标，请补充。",
            ],
        ),
        (
            "预算资金、资金用途和资金支出计划是否填写齐全",
            [
                "资金用途未写明具体支出内容，请补充。",
                "资金支出计划不完整，请按 3 月底、6 月底、10 月底、12 月底填写累计支出进度。",
            ],
        ),
        (
            "每项指标是否写明指标值确定依据",
            [
                "部分指标未写指标值确定依据，请逐项补充（如计划标准、行业标准、历史标准）。"
            ],
        ),
    ],
    "relevance": [
        (
            "绩效指标是否与项目内容和资金用途直接相关",
            [
                "部分指标与本项目资金用途没有直接关系，请删除或改为反映本项目产出的指标。",
                "产出指标未覆盖资金用途中的主要支出内容，请补充。",
            ],
        ),
        (
            "绩效目标是否与部门职能和年度工作任务相符",
            ["绩效目标与本部门职能联系不紧密，请结合年度工作任务修改。"],
        ),
        (
            "效益指标是否反映项目实施带来的效果",
            ["效益指标重复了产出内容，请写明项目实施后的社会效益或可持续影响。"],
        ),
    ],
    "appropriateness": [
        (
            "指标值是否与预算规模相匹配",
            [
                "指标值与预算规模不匹配，请结合资金量重新测算。",
                "指标值明显低于以前年度的实际完成水平，请适当提高。",
            ],
        ),
        (
            "成本指标是否不超过预算，测算是否合理",
            [
                "成本指标高于项目预算，请核实成本指标或预算数。",
                "请说明成本指标的测算方法和依据。",
            ],
        ),
        (
            "指标是否可衡量，计量单位是否准确",
            [
                "部分指标是定性描述，请尽量改为数值加计量单位的定量指标。",
                "指标值的计量单位不明确，请写明单位。",
            ],
        ),
    ],
    "feasibility": [
        (
            "指标值能否在本年度内实现",
            [
                "部分指标值在年度内难以完成，请结合实施进度调整。",
                "时效指标的完成时限与资金支出计划不一致，请核实。",
            ],
        ),
        (
            "指标值确定依据是否充分",
            ["指标值确定依据不充分，请补充测算过程或文件依据。"],
        ),
        (
            "实施计划和保障措施是否切实可行",
            ["请补充项目实施计划和保障措施，说明如何保证目标按期实现。"],
        ),
    ],
}


def seed(apps, schema_editor):
    ReviewQuestion = apps.get_model("declarations", "ReviewQuestion")
    OpinionTemplate = apps.get_model("declarations", "OpinionTemplate")
    for aspect, questions in CHECKLIST.items():
        for position, (text, opinions) in enumerate(questions, 1):
            question = ReviewQuestion.objects.create(
                aspect=aspect, text=text, position=position
            )
            OpinionTemplate.objects.bulk_create(
                OpinionTemplate(question=question, text=opinion, position=i)
                for i, opinion in enumerate(opinions, 1)
            )


def unseed(apps, schema_editor):
    ReviewQuestion = apps.get_model("declarations", "ReviewQuestion")
    for aspect, questions in CHECKLIST.items():
        # Their opinions go with them (on_delete=CASCADE).
        ReviewQuestion.objects.filter(
            aspect=aspect, text__in=[text for text, _ in questions]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("declarations", "0016_desk")]

    operations = [migrations.RunPython(seed, unseed)]
