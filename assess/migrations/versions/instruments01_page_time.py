"""measured survey durations: active seconds per showing of a survey page

Revision ID: instruments01
Revises: erasure01
Create Date: 2026-12-07 22:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'instruments01'
down_revision = 'erasure01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('page_time',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('shown_at', sa.Float(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('response_id', 'page', 'shown_at', name='uq_page_time_showing')
    )


def downgrade():
    op.drop_table('page_time')
