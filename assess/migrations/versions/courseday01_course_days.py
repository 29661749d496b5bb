"""course days: the dates a cohort meets

Revision ID: courseday01
Revises: ux01
Create Date: 2026-12-07 22:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'courseday01'
down_revision = 'ux01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.CheckConstraint('number >= 1', name='ck_course_day_number'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('cohort_id', 'number', name='uq_course_day_cohort_number')
    )


def downgrade():
    op.drop_table('course_day')
