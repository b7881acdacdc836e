"""Use cases of FireCase as plain functions over a ``CaseFile`` (see ``firecase.store``).

Every function is one transaction, validates its input, raises ``FirecaseError`` subclasses
with Chinese messages and ``field`` set, and returns frozen DTOs (``firecase.services.dto``).
No Qt here; call these from a worker thread in the GUI.

Modules: ``cases`` (open a case, casualties, decisions, milestones, list/count/get),
one room per stage of a case, as the workspace tabs name them (add/update/remove):
``parties``, ``team`` (members, sub-groups), ``recusal``, ``evidence`` (evidence, custody,
attachments, appraisals), ``deadlines`` (extensions), ``findings`` (findings, causes, dissents,
report sections), ``recommendations``, ``reply`` (handling tasks), ``publication``,
``evaluation`` (evaluation items, measures) — their shared machinery is ``_records``;
``clock_board``, ``settings``
(settings and the working-day calendar), ``maintenance`` (verify, audit trail), ``demo``,
``users`` (team mode: users, sign in, current user), ``permissions`` (the role table and the
``@requires`` guard), ``changes`` (what changed since an audit position, for polling).
``reporting`` (report data for PDFs) belongs to the reports engineer.
"""
