import django.db.models.functions.text
from django.db import migrations, models

# The full-text side of budgets.search: SQLite reads SearchEntry.tokens through an FTS5 table
# kept in step by triggers; PostgreSQL through a GIN index on a generated column, the tokens as
# a tsvector whose positions are their order (a typed word is a phrase of character pairs).
# Neither database's own word parser is involved: the tokens are made in Python, the same for both.
SQLITE = [
    (
        "CREATE VIRTUAL TABLE budgets_searchentry_fts USING fts5(tokens, content='budgets_searchentry', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 0', prefix='1')",
        "DROP TABLE budgets_searchentry_fts",
    ),
    (
        "CREATE TRIGGER budgets_searchentry_fts_insert AFTER INSERT ON budgets_searchentry BEGIN "
        "INSERT INTO budgets_searchentry_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
        "DROP TRIGGER budgets_searchentry_fts_insert",
    ),
    (
        "CREATE TRIGGER budgets_searchentry_fts_delete AFTER DELETE ON budgets_searchentry BEGIN "
        "INSERT INTO budgets_searchentry_fts(budgets_searchentry_fts, rowid, tokens) "
        "VALUES ('delete', old.id, old.tokens); END",
        "DROP TRIGGER budgets_searchentry_fts_delete",
    ),
    (
        "CREATE TRIGGER budgets_searchentry_fts_update AFTER UPDATE ON budgets_searchentry BEGIN "
        "INSERT INTO budgets_searchentry_fts(budgets_searchentry_fts, rowid, tokens) "
        "VALUES ('delete', old.id, old.tokens); "
        "INSERT INTO budgets_searchentry_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
        "DROP TRIGGER budgets_searchentry_fts_update",
    ),
]
POSTGRESQL = [
    (
        "CREATE FUNCTION budgets_search_vector(tokens text) RETURNS tsvector "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ "
        "SELECT coalesce(string_agg(format('%L:%s', token, position), ' ')::tsvector, ''::tsvector) "
        "FROM unnest(string_to_array(tokens, ' ')) WITH ORDINALITY AS t(token, position) "
        "WHERE token <> '' $$",
        "DROP FUNCTION budgets_search_vector(text)",
    ),
    # Stored, not an expression index: a filter the planner runs row by row (a join on the
    # department keys) then reads a column instead of calling the function.
    (
        "ALTER TABLE budgets_searchentry ADD COLUMN vector tsvector "
        "GENERATED ALWAYS AS (budgets_search_vector(tokens)) STORED",
        "ALTER TABLE budgets_searchentry DROP COLUMN vector",
    ),
    (
        "CREATE INDEX search_entry_vector_idx ON budgets_searchentry USING gin (vector)",
        "DROP INDEX search_entry_vector_idx",
    ),
]


def _run(forwards):
    def run(apps, schema_editor):
        statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor, [])
        for create, drop in statements if forwards else reversed(statements):
            schema_editor.execute(create if forwards else drop, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("budgets", "0005_scale")]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("province", "province"),
                            ("prefecture", "prefecture city"),
                            ("county", "county"),
                            ("department", "department"),
                            ("functional", "functional classification"),
                            ("economic", "economic classification"),
                            ("project", "project"),
                            ("group", "project or activity"),
                            ("indicator", "indicator"),
                        ],
                        max_length=12,
                    ),
                ),
                ("text", models.TextField(help_text="The name as printed")),
                (
                    "code",
                    models.CharField(
                        blank=True, help_text="A class's code, a county's division code", max_length=12
                    ),
                ),
                (
                    "ref",
                    models.PositiveIntegerField(
                        blank=True, help_text="The county's or department's key", null=True
                    ),
                ),
                (
                    "place",
                    models.CharField(
                        blank=True, help_text="Province and prefecture of a place", max_length=100
                    ),
                ),
                ("tokens", models.TextField()),
            ],
        ),
        migrations.AddIndex(
            model_name="lineitem",
            index=models.Index(fields=["name"], name="line_item_name_idx"),
        ),
        migrations.AddIndex(
            model_name="performanceindicator",
            index=models.Index(django.db.models.functions.text.Left("name", 200), name="indicator_name_idx"),
        ),
        migrations.AddConstraint(
            model_name="searchentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ref", None)),
                fields=("kind", "code", "place", "text"),
                name="search_entry_text",
            ),
        ),
        migrations.AddConstraint(
            model_name="searchentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("ref", None), _negated=True),
                fields=("kind", "ref"),
                name="search_entry_ref",
            ),
        ),
        migrations.RunPython(_run(forwards=True), _run(forwards=False), elidable=False),
    ]
