"""report releases: the managers' figures published per organisation and cohort

Revision ID: b7c1e0d2a9f3
Revises: 4729f590f119
Create Date: 2026-11-28 06:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c1e0d2a9f3'
down_revision = '4729f590f119'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_release',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=100), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('questionnaire_id', 'organisation_id', 'cohort_id')
    )
    with op.batch_alter_table('report_release', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_release_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_release_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('release_member',
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['release_id'], ['report_release.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('release_id', 'participant_id')
    )
    with op.batch_alter_table('release_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_member_participant_id'), ['participant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('release_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_member_participant_id'))
    op.drop_table('release_member')
    with op.batch_alter_table('report_release', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_release_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_report_release_cohort_id'))
    op.drop_table('report_release')
