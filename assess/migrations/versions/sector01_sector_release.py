"""sector release: the sector benchmark's own copies of the atom releases, moved on in batches

Revision ID: sector01
Revises: goals01
Create Date: 2026-12-07 22:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'sector01'
down_revision = 'goals01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sector_release',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=100), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('churn', sa.Integer(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('questionnaire_id', 'organisation_id', 'cohort_id')
    )
    with op.batch_alter_table('sector_release', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sector_release_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sector_release_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sector_release', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sector_release_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_sector_release_cohort_id'))
    op.drop_table('sector_release')
