phiscan_core::checks! {
    no_primitive_roles_for_users::IamNoPrimitiveRolesForUsers,
    default_sa_not_editor::IamDefaultSaNotEditor,
    sa_no_user_managed_keys::IamSaNoUserManagedKeys,
    external_members::IamExternalMembers,
}

mod project_bindings;
