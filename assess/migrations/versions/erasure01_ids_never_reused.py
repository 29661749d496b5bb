"""ids never reused (SQLite AUTOINCREMENT) and erasures whose files are not clean yet

Revision ID: erasure01
Revises: c3d9a1f0e2b7
Create Date: 2026-12-07 22:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'erasure01'
down_revision = 'c3d9a1f0e2b7'
branch_labels = None
depends_on = None

# The tables whose ids the audit trail names. SQLite without AUTOINCREMENT gives the id of the
# last row deleted (an erased participant) to the next row; PostgreSQL's sequences never do.
NEVER_REUSED = ('organisation', 'user', 'cohort', 'participant', 'response')


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':
        # AUTOINCREMENT is part of CREATE TABLE: SQLite needs the table rebuilt. env.py turns
        # foreign keys off for SQLite migrations, or dropping the old table would cascade the
        # delete into every child table. The table's sqlite_sequence starts at the highest id
        # in use: from then on no id is handed out twice (one deleted above that highest id
        # before this migration may come back once; the log still names nobody for an erased
        # person's events, which erasure marked, see assess/admin/audit_words.py).
        for table in NEVER_REUSED:
            with op.batch_alter_table(
                table, recreate='always', table_kwargs={'sqlite_autoincrement': True}
            ):
                pass
    op.create_table('erasure_cleanup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade():
    op.drop_table('erasure_cleanup')
    if op.get_bind().dialect.name == 'sqlite':
        for table in NEVER_REUSED:
            with op.batch_alter_table(
                table, recreate='always', table_kwargs={'sqlite_autoincrement': False}
            ):
                pass
