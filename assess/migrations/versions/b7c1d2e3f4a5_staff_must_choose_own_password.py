"""staff must choose their own password after an admin generated one

Revision ID: b7c1d2e3f4a5
Revises: b7c1e0d2a9f3
Create Date: 2026-11-28 06:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c1d2e3f4a5'
down_revision = 'b7c1e0d2a9f3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(
            sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_column('must_change_password')
