"""Demonstration case 2, closing: report submitted and received, the 批复, handling and 备案,
feedback, publication with its redactions, closure and the one-year evaluation."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from firecase.samples._demo_case_two_report import REPLY_ON, _Parties
from firecase.samples._demo_common import D, _ver
from firecase.services import (
    evaluation,
    publication,
    reading,
    recommendations,
    reply,
)
from firecase.services.dto import (
    CaseSummary,
    EvaluationInput,
    EvaluationItemInput,
    FeedbackInput,
    HandlingTaskInput,
    MeasureInput,
    MeasureView,
    PublicationInput,
    RecommendationView,
)
from firecase.store import CaseFile


def _reply_and_handling(
    cf: CaseFile,
    c: CaseSummary,
    recs: list[RecommendationView],
    who: _Parties,
    today: dt.date,
) -> None:
    reply_on = REPLY_ON
    welder, foreman = who.welder, who.foreman
    reply.record_report_submitted(
        cf, c.id, D(2025, 3, 18), expected_version=_ver(cf, c.id), today=D(2025, 3, 18)
    )
    reply.record_report_received(
        cf, c.id, D(2025, 3, 19), expected_version=_ver(cf, c.id), today=D(2025, 3, 19)
    )
    reply.record_reply(
        cf,
        c.id,
        reply_on,
        "天政函〔2025〕45号",
        "原则同意调查报告对事故原因、性质和责任的认定及处理建议，请有关部门和单位在30日内依法依规"
        "处理并报市人民政府及市消防救援大队备案。",
        expected_version=_ver(cf, c.id),
        today=reply_on,
    )
    for dept, task, reported, filed, result in [
        (
            "天门市公安局",
            "对胡小兵、陈金华涉嫌重大责任事故罪依法侦办",
            D(2025, 4, 20),
            D(2025, 4, 28),
            "已立案侦查，2025年4月18日移送天门市人民检察院审查起诉。",
        ),
        (
            "天门市应急管理局",
            "对天门华纺纺织有限公司及郑宏伟、樊立军实施行政处罚",
            D(2025, 4, 25),
            D(2025, 4, 29),
            "已作出行政处罚决定，罚款已全部缴纳。",
        ),
        (
            "天门市消防救援大队",
            "对湖北安泰消防技术服务有限公司及其项目负责人实施行政处罚",
            D(2025, 4, 24),
            D(2025, 4, 30),
            "已作出行政处罚决定，并抄告湖北省消防救援总队。",
        ),
        (
            "天门市纪委监委",
            "对何建平给予政务处分",
            D(2025, 4, 27),
            D(2025, 4, 30),
            "已给予何建平政务记过处分。",
        ),
        (
            "天门经济开发区管委会",
            "接受约谈，向市人民政府作出书面检查并报送整改方案",
            D(2025, 4, 28),
            D(2025, 4, 30),
            "已于4月15日接受约谈，书面检查和整改方案已报送。",
        ),
    ]:
        # the 批复 created a task per acting authority of the recommendations (第二十条)
        created = {t.department: t for t in reading.get_case(cf, c.id, today=today).handling_tasks}
        values = HandlingTaskInput(
            department=dept, task=task, reported_on=reported, filed_on=filed, result=result
        )
        if dept in created:
            reply.update_handling_task(
                cf,
                created[dept].id,
                values,
                expected_version=created[dept].version,
                today=D(2025, 4, 30),
            )
        else:
            reply.add_handling_task(cf, c.id, values, today=D(2025, 4, 30))
    feedback = [
        ("已立案侦查，移送审查起诉。", D(2025, 4, 20), D(2025, 4, 28), D(2025, 1, 15)),
        ("已立案侦查，移送审查起诉。", D(2025, 4, 20), D(2025, 4, 28), D(2025, 1, 15)),
        ("已作出罚款决定并执行完毕。", D(2025, 4, 25), D(2025, 4, 29), None),
        ("已作出罚款决定；公司已免去其消防安全管理人职务。", D(2025, 4, 25), D(2025, 4, 29), None),
        ("已作出罚款一百五十万元的决定并执行完毕。", D(2025, 4, 25), D(2025, 4, 29), None),
        ("已对机构及项目负责人作出罚款决定。", D(2025, 4, 24), D(2025, 4, 30), None),
        ("已给予政务记过处分。", D(2025, 4, 27), D(2025, 4, 30), None),
        ("已作出书面检查并在园区通报。", D(2025, 4, 22), D(2025, 4, 30), None),
        ("已于2025年4月15日约谈，书面检查已报送。", D(2025, 4, 28), D(2025, 4, 30), None),
    ]
    for r, (text, on, filed, transferred) in zip(recs, feedback, strict=True):
        recommendations.record_feedback(
            cf,
            r.id,
            FeedbackInput(
                feedback=text,
                feedback_on=on,
                filed_on=filed,
                transferred_on=transferred,
                transferred_to="天门市公安局" if transferred else "",
            ),
            expected_version=r.version,
        )
    publication.save_publication(
        cf,
        c.id,
        PublicationInput(
            published_on=D(2025, 5, 15),
            channel="天门市人民政府门户网站",
            published_by="天门市人民政府",
        ),
    )
    for party in (welder, foreman):
        publication.set_redaction(
            cf,
            c.id,
            f"party:{party.id}.name",
            True,
            "涉及刑事侦查的个人信息。",
            today=D(2025, 5, 12),
        )
    publication.set_redaction(
        cf, c.id, "section:6", True, "处理建议涉及个人，依法不予公开。", today=D(2025, 5, 12)
    )
    reply.record_closure(
        cf, c.id, D(2025, 5, 10), expected_version=_ver(cf, c.id), today=D(2025, 5, 10)
    )


def _evaluate(
    cf: CaseFile,
    c: CaseSummary,
    recs: list[RecommendationView],
    measures: tuple[MeasureView, ...],
) -> None:
    m1, m2, m3, m4 = measures
    ev = evaluation.save_evaluation(
        cf,
        c.id,
        EvaluationInput(
            lead="天门市消防安全委员会办公室",
            members=(
                "天门市应急管理局",
                "天门市住房和城乡建设局",
                "天门市经济和信息化局",
                "天门市消防救援大队",
            ),
            third_party="湖北正安安全技术咨询有限公司",
            started_on=D(2026, 3, 2),
            finished_on=D(2026, 4, 17),
            conduct="\n".join(
                (
                    "2026年2月，市消防安全委员会办公室制定评估工作方案，明确评估范围为天政函〔202"
                    "5〕45号批复确定的9项责任追究事项和4项整改措施。",
                    "评估组采取查阅处理决定、缴款凭证和整改台账，现场核查华纺公司新建仓库和园区智"
                    "慧消防监测平台，召开有关部门座谈会等方式，逐项核实落实情况，并听取了参加评估"
                    "工作的各部门意见。",
                    "第三方机构湖北正安安全技术咨询有限公司对新建仓库消防设施进行了功能测试，对园"
                    "区已接入平台的企业抽查了数据准确性。",
                )
            ),
            opinion="\n".join(
                (
                    "评估组认为，“1·9”较大火灾事故已评估的责任追究事项均已落实，有关部门依法依规作出"
                    "了处理；对天门经济开发区安全生产监督管理局的问责尚待核实；4项整改措施中3项已按期完成，园区智慧消防监测平台建设部分落实，尚有12"
                    "家企业未接入。",
                    "建议天门经济开发区管委会于2026年4月30日前完成剩余企业接入，并将平台运行情况"
                    "纳入园区安全生产考核；市消防安全委员会办公室对整改情况跟踪督办，逾期未完成的"
                    "予以通报。",
                    "建议全市将动火作业审批和消防设施阀门状态检查列入年度消防安全检查的必查项目，"
                    "防止同类事故再次发生。",
                )
            ),
        ),
        today=D(2026, 3, 2),
    )
    del ev
    for kind, subject, result, checked, evidence_text, rids, mid in [
        (
            "人员责任追究",
            "胡小兵、陈金华移送司法机关",
            "已落实",
            D(2026, 3, 10),
            "公安机关立案决定书、起诉意见书；天门市人民法院已于2025年9月作出一审判决。",
            (recs[0].id, recs[1].id),
            None,
        ),
        (
            "人员责任追究",
            "郑宏伟、樊立军行政处罚",
            "已落实",
            D(2026, 3, 10),
            "市应急管理局行政处罚决定书及罚款缴纳凭证。",
            (recs[2].id, recs[3].id),
            None,
        ),
        (
            "人员责任追究",
            "何建平政务处分",
            "已落实",
            D(2026, 3, 11),
            "市纪委监委政务处分决定书。",
            (recs[6].id,),
            None,
        ),
        (
            "单位责任追究",
            "天门华纺纺织有限公司行政处罚",
            "已落实",
            D(2026, 3, 11),
            "行政处罚决定书及一百五十万元罚款缴纳凭证。",
            (recs[4].id,),
            None,
        ),
        (
            "单位责任追究",
            "湖北安泰消防技术服务有限公司行政处罚",
            "已落实",
            D(2026, 3, 11),
            "市消防救援大队行政处罚决定书；该机构已列入重点监管名单。",
            (recs[5].id,),
            None,
        ),
        (
            "单位责任追究",
            "天门经济开发区管委会约谈",
            "已落实",
            D(2026, 3, 12),
            "约谈记录、书面检查及整改方案。",
            (recs[8].id,),
            None,
        ),
        (
            "整改措施",
            "全市纺织服装企业动火作业专项检查",
            "已落实",
            D(2026, 3, 16),
            "检查企业87家，整改隐患214处，查阅专项检查总结报告。",
            (),
            m1.id,
        ),
        (
            "整改措施",
            "园区智慧消防监测平台",
            "部分落实",
            D(2026, 3, 17),
            "平台已上线运行，园区46家重点企业中34家接入，12家未接入。",
            (),
            m2.id,
        ),
        (
            "整改措施",
            "消防技术服务机构维保质量专项检查",
            "已落实",
            D(2026, 3, 18),
            "抽查机构9家，立案查处2家，查阅检查通报。",
            (),
            m3.id,
        ),
        (
            "整改措施",
            "华纺公司重建仓库和全员培训",
            "已落实",
            D(2026, 3, 19),
            "新建仓库通过消防验收，第三方功能测试合格，培训签到记录312人。",
            (),
            m4.id,
        ),
    ]:
        item_input = EvaluationItemInput(
            kind=kind,
            subject=subject,
            result=result,
            checked_on=checked,
            evidence=evidence_text,
            recommendation_ids=rids,
            measure_id=mid,
        )
        if mid == m2.id:  # partly done: the evaluation orders a new date (第二十四条)
            order = evaluation.add_measure(
                cf,
                c.id,
                MeasureInput(
                    text="限期完成园区智慧消防监测平台剩余12家企业接入",
                    responsible="天门经济开发区管委会",
                    set_on=D(2026, 3, 20),
                    deadline=D(2026, 4, 30),
                    status="未落实",
                ),
            )
            item_input = replace(item_input, order_id=order.id)
        evaluation.add_evaluation_item(cf, c.id, item_input)
