from declarations.models.organizations import Membership, Organization, Role

__all__ = ["Membership", "Organization", "Role"]
