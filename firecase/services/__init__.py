"""Use cases of FireCase as plain functions over a ``CaseFile`` (see ``firecase.store``).

Every function is one transaction, validates its input, raises ``FirecaseError`` subclasses
with Chinese messages and ``field`` set, and returns frozen DTOs (``firecase.services.dto``).
No Qt here; call these from a worker thread in the GUI.

Modules — one room per stage of a case, as the workspace tabs name them:
``cases`` (open a case, the incident, casualties, decisions, takeover, team setup, report
wording), ``parties``, ``team`` (members, sub-groups), ``recusal``, ``evidence`` (evidence,
custody, attachments, appraisals), ``deadlines`` (extensions), ``findings`` (findings, causes,
dissents, report sections), ``recommendations``, ``reply`` (the report's submission and
receipt, the 批复, closure, handling tasks), ``publication``, ``evaluation`` (evaluation items,
measures); their shared add/update/remove machinery is ``_records``. Besides them:
``reading`` (a case, the case list and its count), ``clock_board``, ``settings`` (settings and
the working-day calendar), ``maintenance`` (verify, audit trail), ``users`` (team mode: users,
sign in, current user), ``permissions`` (the role table and the ``@requires`` guard),
``changes`` (what changed since an audit position, for polling), ``reporting`` (report data
for PDFs). Sample data (the demonstration and synthetic cases) is in ``firecase.samples``.
"""
