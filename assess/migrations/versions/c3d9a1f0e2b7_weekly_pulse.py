"""weekly pulse: per-cohort schedule, a pulse per week, answers per participant per pulse

Revision ID: c3d9a1f0e2b7
Revises: b7c1d2e3f4a5
Create Date: 2026-11-28 09:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d9a1f0e2b7'
down_revision = 'b7c1d2e3f4a5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pulse_schedule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('days_open', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('weekday between 0 and 6', name='ck_pulse_schedule_weekday'),
    sa.CheckConstraint('days_open between 1 and 7', name='ck_pulse_schedule_days_open'),
    sa.CheckConstraint('first_day <= last_day', name='ck_pulse_schedule_days'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('cohort_id')
    )
    op.create_table('pulse',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('cohort_id', 'week', name='uq_pulse_cohort_week')
    )
    with op.batch_alter_table('pulse', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_cohort_id'), ['cohort_id'], unique=False)

    op.create_table('pulse_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pulse_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=100), nullable=False),
    sa.Column('questionnaire_version', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pulse_id'], ['pulse.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pulse_id', 'participant_id', name='uq_pulse_response_pulse_participant')
    )
    with op.batch_alter_table('pulse_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_response_participant_id'), ['participant_id'], unique=False)

    op.create_table('pulse_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['response_id'], ['pulse_response.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('response_id', 'item_id', name='uq_pulse_answer_response_item')
    )
    op.create_table('pulse_stop',
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('stopped_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('participant_id')
    )


def downgrade():
    op.drop_table('pulse_stop')
    op.drop_table('pulse_answer')
    with op.batch_alter_table('pulse_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_response_participant_id'))
    op.drop_table('pulse_response')
    with op.batch_alter_table('pulse', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_cohort_id'))
    op.drop_table('pulse')
    op.drop_table('pulse_schedule')
