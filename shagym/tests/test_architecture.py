"""House rules proved by the code's structure (the import graph, the syntax tree) and by a migration run."""

import ast
import tomllib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from shagym.complaints.models import ComplaintEvent

ROOT = Path(__file__).resolve().parents[1]


# The layers, top to bottom (issue 9), as the import-linter contract in pyproject.toml states them (one list for both
# checks): a module may import only from its own layer or those below it.
_CONTRACTS = tomllib.loads((ROOT.parent / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
LAYERS = [
    tuple(name.strip() for name in layer.split("|"))
    for layer in next(c for c in _CONTRACTS if c["type"] == "layers")["layers"]
]
SERVICES = ROOT / "complaints" / "services"


@pytest.fixture(scope="module")
def graph():
    import grimp

    return grimp.build_graph("shagym", exclude_type_checking_imports=True)


def test_no_layer_imports_one_above_it(graph):
    upward = []
    for index, lower in enumerate(LAYERS):
        for upper in (name for layer in LAYERS[:index] for name in layer):
            for module in lower:
                chain = graph.find_shortest_chain(importer=module, imported=upper, as_packages=True)
                if chain:
                    upward.append(" -> ".join(chain))
    assert upward == []


def test_the_faces_do_not_import_each_other(graph):
    faces = LAYERS[0]
    crossing = [
        " -> ".join(chain)
        for a in faces for b in faces if a != b
        if (chain := graph.find_shortest_chain(importer=a, imported=b, as_packages=True))
    ]
    assert crossing == []


def _python_files():
    for path in ROOT.rglob("*.py"):
        if "migrations" not in path.parts:
            yield path


LIFECYCLE = ("complaint", "recommendation")  # the objects whose status is the lifecycle's


def _lifecycle_object(node: ast.AST) -> bool:
    return any(word in ast.unparse(node).lower() for word in LIFECYCLE)


def _status_writes(tree: ast.AST) -> list[int]:
    """Lines that write the status of a complaint or a recommendation: `<complaint>.status = ...`,
    `setattr(<complaint>, "status", ...)`, or `status=` passed to update()/create() on a Complaint or Recommendation
    queryset. (Other objects have a `status` of their own: a delivery, a webhook attempt, an HTTP problem.)"""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            lines += [node.lineno for target in targets
                      if isinstance(target, ast.Attribute) and target.attr == "status" and _lifecycle_object(target.value)]
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "setattr" and len(node.args) > 1 and \
                    isinstance(node.args[1], ast.Constant) and node.args[1].value == "status" and \
                    _lifecycle_object(node.args[0]):
                lines.append(node.lineno)
            writes = {"update", "create", "bulk_update", "update_or_create"}
            if isinstance(func, ast.Attribute) and func.attr in writes and _lifecycle_object(func.value) \
                    and any(k.arg == "status" for k in node.keywords):
                lines.append(node.lineno)
    return lines


def test_only_the_lifecycle_services_write_a_complaint_status():
    """Read structurally (the syntax tree of every module, tests excepted), not by a file name: the services package
    is the only writer of a complaint's (or its recommendation's) status. The notifications' deliveries keep their
    own status, through querysets of Delivery, which this check does not count."""
    offenders = []
    for path in _python_files():
        if "tests" in path.parts or SERVICES in path.parents:
            continue
        for line in _status_writes(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert offenders == []


def test_the_status_check_sees_each_way_of_writing_it():
    """The check above can fail: each way of writing a status is found."""
    for source in ("complaint.status = 'x'", "self.complaint.status += 'x'", "setattr(complaint, 'status', 'x')",
                   "recommendation.status = 'x'", "Complaint.objects.filter(pk=1).update(status='x')",
                   "Complaint.objects.create(status='x')", "Recommendation.objects.update(status='x')"):
        assert _status_writes(ast.parse(source)) == [1], source
    for source in ("Delivery.objects.filter(pk=1).update(status='x')", "problem.status = 404"):
        assert _status_writes(ast.parse(source)) == [], source


def test_workdays_imports_no_django():
    source = (ROOT / "workdays" / "__init__.py").read_text(encoding="utf-8")
    imported = {n.module or "" for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Import) for a in n.names}
    assert not {name for name in imported if name.split(".")[0] == "django"}


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


@pytest.mark.django_db
def test_changing_languages_creates_no_migration(settings):
    settings.LANGUAGES = [("kk", "Kazakh")]
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


@pytest.mark.django_db
def test_events_cannot_be_updated_or_deleted(registered):
    event = ComplaintEvent.objects.filter(complaint=registered).first()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        ComplaintEvent.objects.filter(complaint=registered).update(data={})
    with pytest.raises(TypeError):
        ComplaintEvent.objects.filter(complaint=registered).delete()


@pytest.mark.django_db
def test_database_refuses_to_update_an_event(registered):
    from django.db import DatabaseError, connection, transaction

    event = ComplaintEvent.objects.filter(complaint=registered).first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE complaints_complaintevent SET role = 'x' WHERE id = %s", [event.pk])


@pytest.mark.django_db
def test_uploaded_files_are_not_served_without_a_check(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "attachments").mkdir()
    (tmp_path / "attachments" / "secret.pdf").write_bytes(b"%PDF-1.4 secret")
    for url in ("/attachments/secret.pdf", "/media/attachments/secret.pdf"):
        assert client.get(url).status_code == 404
