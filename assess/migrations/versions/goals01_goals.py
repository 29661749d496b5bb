"""goals: a participant's goals with if-then plans, their revisions and ratings; the cohort's
goal day

Revision ID: goals01
Revises: courseday01
Create Date: 2026-12-07 22:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'goals01'
down_revision = 'courseday01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.add_column(sa.Column('goals_day', sa.Integer(), server_default='1', nullable=False))

    op.create_table('goal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('theme', sa.String(length=100), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('if_then', sa.Text(), nullable=False),
    sa.Column('level_minus2', sa.Text(), nullable=False),
    sa.Column('level_minus1', sa.Text(), nullable=False),
    sa.Column('level_0', sa.Text(), nullable=False),
    sa.Column('level_plus1', sa.Text(), nullable=False),
    sa.Column('level_plus2', sa.Text(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('shared_with_trainer', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('weight > 0', name='ck_goal_weight'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_participant_id'), ['participant_id'], unique=False)

    op.create_table('goal_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('revised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('before', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('goal_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_revision_goal_id'), ['goal_id'], unique=False)

    op.create_table('goal_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('when', sa.String(length=10), nullable=False),
    sa.Column('pulse_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('rated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('level between -2 and 2', name='ck_goal_rating_level'),
    sa.CheckConstraint('"when" in (\'pulse\', \'exit\', \'followup\')', name='ck_goal_rating_when'),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pulse_id'], ['pulse.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('goal_id', 'pulse_id', name='uq_goal_rating_goal_pulse')
    )
    with op.batch_alter_table('goal_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_rating_goal_id'), ['goal_id'], unique=False)


def downgrade():
    with op.batch_alter_table('goal_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_rating_goal_id'))
    op.drop_table('goal_rating')
    with op.batch_alter_table('goal_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_revision_goal_id'))
    op.drop_table('goal_revision')
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_participant_id'))
    op.drop_table('goal')
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.drop_column('goals_day')
