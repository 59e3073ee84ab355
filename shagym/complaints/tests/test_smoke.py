from shagym.complaints import services
from shagym.complaints.models import ComplaintEvent
from shagym.complaints.states import Action, State


def test_happy_path(under_review, executor, head, clerk, now):
    c = services.propose_decision(actor=executor, complaint=under_review, outcome="perform", reasons="Заң бойынша", now=now)
    c = services.sign_decision(actor=head, complaint=c, now=now)
    c = services.deliver_answer(actor=clerk, complaint=c, method="post", now=now)
    assert c.status == State.ANSWER_DELIVERED
    assert list(ComplaintEvent.objects.filter(complaint=c).values_list("action", flat=True)) == [
        Action.SUBMIT, Action.REGISTER, Action.ASSIGN, Action.PROPOSE_DECISION, Action.SIGN_DECISION, Action.DELIVER_ANSWER,
    ]
    assert str(c.due_date) == "2026-11-09"
