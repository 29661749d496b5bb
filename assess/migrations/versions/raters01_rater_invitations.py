"""raters: invitations, ratings and the colleagues' frozen releases (issue 29)

Revision ID: raters01
Revises: instruments01
Create Date: 2026-12-07 22:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'raters01'
down_revision = 'instruments01'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (SQLite allows it with a default): a batch rebuild of the cohort
    # table would drop its AUTOINCREMENT (migration erasure01).
    op.add_column(
        'cohort',
        sa.Column('raters_enabled', sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column(
        'cohort',
        sa.Column('raters_at_exit', sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_table('rater_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('moment', sa.String(length=20), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('token_nonce', sa.String(length=64), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('declined_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=100), nullable=True),
    sa.Column('questionnaire_version', sa.Integer(), nullable=True),
    sa.CheckConstraint("role in ('manager', 'colleague')", name='ck_rater_invitation_role'),
    sa.CheckConstraint(
        "state in ('invited', 'completed', 'declined', 'erased')", name='ck_rater_invitation_state'
    ),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('rater_invitation') as batch_op:
        batch_op.create_index('ix_rater_invitation_participant_id', ['participant_id'], unique=False)
        batch_op.create_index(
            'ix_rater_invitation_participant_moment', ['participant_id', 'moment'], unique=False
        )
    op.create_table('rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['invitation_id'], ['rater_invitation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('invitation_id', 'item_id', name='uq_rating_item')
    )
    op.create_table('rater_release',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('moment', sa.String(length=20), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('participant_id', 'moment', name='uq_rater_release_participant_moment')
    )
    with op.batch_alter_table('rater_release') as batch_op:
        batch_op.create_index('ix_rater_release_participant_id', ['participant_id'], unique=False)
    with op.batch_alter_table('mail_outbox') as batch_op:
        batch_op.add_column(sa.Column('rater_invitation_id', sa.Integer(), nullable=True))
        batch_op.create_index(
            'ix_mail_outbox_rater_invitation_id', ['rater_invitation_id'], unique=False
        )
        batch_op.create_foreign_key(
            'fk_mail_outbox_rater_invitation_id_rater_invitation',
            'rater_invitation',
            ['rater_invitation_id'],
            ['id'],
            ondelete='CASCADE',
        )


def downgrade():
    with op.batch_alter_table('mail_outbox') as batch_op:
        batch_op.drop_constraint(
            'fk_mail_outbox_rater_invitation_id_rater_invitation', type_='foreignkey'
        )
        batch_op.drop_index('ix_mail_outbox_rater_invitation_id')
        batch_op.drop_column('rater_invitation_id')
    with op.batch_alter_table('rater_release') as batch_op:
        batch_op.drop_index('ix_rater_release_participant_id')
    op.drop_table('rater_release')
    op.drop_table('rating')
    with op.batch_alter_table('rater_invitation') as batch_op:
        batch_op.drop_index('ix_rater_invitation_participant_moment')
        batch_op.drop_index('ix_rater_invitation_participant_id')
    op.drop_table('rater_invitation')
    with op.batch_alter_table(
        'cohort', table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.drop_column('raters_at_exit')
        batch_op.drop_column('raters_enabled')
