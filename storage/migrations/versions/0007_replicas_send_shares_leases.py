"""replicas: send shares, per-chat send marks, leader leases

Revision ID: 0007
Revises: 0003
Create Date: 2026-12-01 23:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sendreplica',
        sa.Column('worker', sa.String(length=120), nullable=False),
        sa.Column('joined_at', sa.Float(), nullable=False),
        sa.Column('seen_at', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('worker'),
    )
    op.create_index('ix_sendreplica_seen_at', 'sendreplica', ['seen_at'])
    op.create_table(
        'chatsendmark',
        sa.Column('chat_id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('until', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('chat_id'),
    )
    op.create_index('ix_chatsendmark_until', 'chatsendmark', ['until'])
    op.create_table(
        'leaderlease',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('holder', sa.String(length=120), nullable=False),
        sa.Column('expires_at', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )


def downgrade() -> None:
    op.drop_table('leaderlease')
    op.drop_index('ix_chatsendmark_until', table_name='chatsendmark')
    op.drop_table('chatsendmark')
    op.drop_index('ix_sendreplica_seen_at', table_name='sendreplica')
    op.drop_table('sendreplica')
