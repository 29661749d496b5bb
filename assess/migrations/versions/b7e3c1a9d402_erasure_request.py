"""erasure requests made by participants themselves (AVG art. 17)

Revision ID: b7e3c1a9d402
Revises: 61a105b2569e
Create Date: 2026-11-28 06:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e3c1a9d402'
down_revision = '61a105b2569e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('erasure_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('participant_id')
    )


def downgrade():
    op.drop_table('erasure_request')
