"""directory: per-company sign-in settings (local / LDAP / OIDC), secrets encrypted at rest

Revision ID: d6e6a2467685
Revises: f5a21c0e7b31
Create Date: 2026-12-03 16:36:09.507476

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd6e6a2467685'
down_revision = 'f5a21c0e7b31'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_in_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=8), nullable=False),
    sa.Column('email_domains', sa.String(length=500), nullable=False),
    sa.Column('local_allowed', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('ldap_url', sa.String(length=500), nullable=False),
    sa.Column('ldap_start_tls', sa.Boolean(), nullable=False),
    sa.Column('ldap_bind_dn', sa.String(length=500), nullable=False),
    sa.Column('ldap_bind_password_enc', sa.Text(), nullable=True),
    sa.Column('ldap_user_dn_template', sa.String(length=500), nullable=False),
    sa.Column('ldap_base_dn', sa.String(length=500), nullable=False),
    sa.Column('ldap_user_filter', sa.String(length=500), nullable=False),
    sa.Column('ldap_attr_email', sa.String(length=64), nullable=False),
    sa.Column('ldap_attr_name', sa.String(length=64), nullable=False),
    sa.Column('ldap_attr_department', sa.String(length=64), nullable=False),
    sa.Column('ldap_attr_groups', sa.String(length=64), nullable=False),
    sa.Column('ldap_group_roles', sa.JSON(), nullable=False),
    sa.Column('ldap_timeout', sa.Integer(), nullable=False),
    sa.Column('oidc_issuer', sa.String(length=500), nullable=False),
    sa.Column('oidc_client_id', sa.String(length=200), nullable=False),
    sa.Column('oidc_client_secret_enc', sa.Text(), nullable=True),
    sa.Column('oidc_scopes', sa.String(length=200), nullable=False),
    sa.Column('oidc_claim_email', sa.String(length=64), nullable=False),
    sa.Column('oidc_claim_name', sa.String(length=64), nullable=False),
    sa.Column('oidc_claim_groups', sa.String(length=64), nullable=False),
    sa.Column('oidc_group_roles', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_sign_in_settings_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_settings')),
    sa.UniqueConstraint('company_id', name=op.f('uq_sign_in_settings_company_id'))
    )


def downgrade():
    op.drop_table('sign_in_settings')
