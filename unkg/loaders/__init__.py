"""unkg.loaders"""
