"""the address a queued mail's links start with

Revision ID: ux01
Revises: raters01
Create Date: 2026-12-07 23:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ux01'
down_revision = 'raters01'
branch_labels = None
depends_on = None


def upgrade():
    # Rows queued before this have no address: the worker refuses them with a reason the
    # trainer reads, rather than mailing links to a guessed http://127.0.0.1:5000.
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('base_url', sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_column('base_url')
